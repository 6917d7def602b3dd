from rest_framework.routers import SimpleRouter

from .views import DataCallViewSet

router = SimpleRouter()
router.register("data-calls", DataCallViewSet, basename="datacall")
urlpatterns = router.urls
