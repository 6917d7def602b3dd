from rest_framework.routers import SimpleRouter

from .views import (
    AssessmentPanelViewSet,
    CommentViewSet,
    CycleDateViewSet,
    CycleSettingsViewSet,
    EditionSectionViewSet,
    EditionViewSet,
    OrdinanceReviewViewSet,
    ParticipationRecordViewSet,
    SubmissionViewSet,
)

router = SimpleRouter()
router.register("editions", EditionViewSet, basename="edition")
router.register("edition-sections", EditionSectionViewSet, basename="editionsection")
router.register("comments", CommentViewSet, basename="comment")
router.register("cycle-settings", CycleSettingsViewSet, basename="cyclesettings")
router.register("cycle-dates", CycleDateViewSet, basename="cycledate")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("ordinance-reviews", OrdinanceReviewViewSet, basename="ordinancereview")
router.register("participation-records", ParticipationRecordViewSet, basename="participationrecord")
router.register("assessment-panels", AssessmentPanelViewSet, basename="assessmentpanel")
urlpatterns = router.urls
