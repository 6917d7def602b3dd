from rest_framework.routers import SimpleRouter

from .views import InitiativeViewSet, ProgressUpdateViewSet

router = SimpleRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("progress-updates", ProgressUpdateViewSet, basename="progressupdate")
urlpatterns = router.urls
