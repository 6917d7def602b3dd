from rest_framework.routers import SimpleRouter

from .views import MunicipalityViewSet

router = SimpleRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
urlpatterns = router.urls
