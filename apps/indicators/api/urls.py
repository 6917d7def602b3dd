from rest_framework.routers import SimpleRouter

from .views import LocalIndicatorViewSet, ObservationViewSet

router = SimpleRouter()
router.register("local-indicators", LocalIndicatorViewSet, basename="localindicator")
router.register("observations", ObservationViewSet, basename="observation")
urlpatterns = router.urls
