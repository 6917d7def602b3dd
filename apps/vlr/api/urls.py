from rest_framework.routers import SimpleRouter

from .views import CommentViewSet, EditionSectionViewSet, EditionViewSet

router = SimpleRouter()
router.register("editions", EditionViewSet, basename="edition")
router.register("edition-sections", EditionSectionViewSet, basename="editionsection")
router.register("comments", CommentViewSet, basename="comment")
urlpatterns = router.urls
