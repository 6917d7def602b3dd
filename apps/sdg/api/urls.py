from rest_framework.routers import SimpleRouter

from .views import GoalViewSet, IndicatorViewSet, TargetViewSet

router = SimpleRouter()
router.register("goals", GoalViewSet, basename="goal")
router.register("targets", TargetViewSet, basename="target")
router.register("indicators", IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
