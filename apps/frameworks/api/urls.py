from rest_framework.routers import SimpleRouter

from .views import CrosswalkLinkViewSet, FrameworkNodeViewSet, FrameworkViewSet

router = SimpleRouter()
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("framework-nodes", FrameworkNodeViewSet, basename="frameworknode")
router.register("crosswalk", CrosswalkLinkViewSet, basename="crosswalklink")
urlpatterns = router.urls
