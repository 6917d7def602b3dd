from rest_framework.routers import SimpleRouter

from .views import DocumentViewSet, EvidenceLinkViewSet

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("evidence-links", EvidenceLinkViewSet, basename="evidencelink")
urlpatterns = router.urls
