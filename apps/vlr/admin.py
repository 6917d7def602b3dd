from django.contrib import admin

from apps.core.admin import TenantAdmin

from .models import (
    AssessmentCriterion,
    AssessmentPanel,
    Comment,
    CycleDate,
    CycleSettings,
    DepartmentResponse,
    Edition,
    EditionSection,
    EditionTransition,
    IndicatorRating,
    OrdinanceReview,
    ParticipationRecord,
    Submission,
)
from .workflow import editable_by


class SectionInline(admin.StackedInline):
    model = EditionSection
    extra = 0
    fields = [("code", "order", "included"), ("title_ko", "title_en"), "body_ko", "body_en"]


class TransitionInline(admin.TabularInline):
    model = EditionTransition
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(TenantAdmin):
    """Status changes go through the workflow (API/UI), so the admin shows status read-only."""

    list_display = ["municipality", "kind", "year", "title_ko", "status", "updated_at"]
    list_filter = ["kind", "status", "year", "municipality"]
    search_fields = ["title_ko", "title_en", "municipality__name_ko", "municipality__name_en"]
    readonly_fields = ["status", "snapshot"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["focus_goals"]
    inlines = [SectionInline, TransitionInline]

    def has_change_permission(self, request, obj=None):
        # The edition lock of apps.vlr.services: a submitted or approved edition is read-only here too.
        return super().has_change_permission(request, obj) and (obj is None or editable_by(request.user, obj))


@admin.register(Comment)
class CommentAdmin(TenantAdmin):
    list_display = ["edition", "author", "created_at", "local_indicator", "initiative"]
    search_fields = ["body", "author__username"]
    list_filter = ["edition__municipality"]
    autocomplete_fields = ["edition", "parent", "local_indicator", "initiative", "author"]


@admin.register(CycleSettings)
class CycleSettingsAdmin(TenantAdmin):
    list_display = ["municipality", "strategy_start", "plan_first", "biennial_first", "due_month", "due_day"]
    autocomplete_fields = ["municipality"]


@admin.register(CycleDate)
class CycleDateAdmin(TenantAdmin):
    list_display = ["municipality", "kind", "year", "due", "title_ko"]
    list_filter = ["kind", "year"]
    autocomplete_fields = ["municipality"]


@admin.register(OrdinanceReview)
class OrdinanceReviewAdmin(TenantAdmin):
    list_display = ["municipality", "title", "item_kind", "submitted_on", "status"]
    list_filter = ["status", "item_kind"]
    search_fields = ["title", "committee_opinion", "authority_response"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["targets"]


@admin.register(ParticipationRecord)
class ParticipationRecordAdmin(TenantAdmin):
    list_display = ["municipality", "held_on", "kind", "title"]
    list_filter = ["kind"]
    search_fields = ["title", "topics", "outcomes"]
    autocomplete_fields = ["municipality"]


@admin.register(Submission)
class SubmissionAdmin(TenantAdmin):
    """The record of what was sent is kept as sent: read-only here."""

    list_display = ["edition", "recipient", "sent_on", "reference"]
    readonly_fields = ["edition", "recipient", "sent_on", "reference", "file", "file_sha256", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(TenantAdmin):
    list_display = ["edition", "code", "name_ko", "flag_below", "order"]
    autocomplete_fields = ["edition"]


class RatingInline(admin.TabularInline):
    model = IndicatorRating
    extra = 0
    fields = ["local_indicator", "scores", "comment"]
    autocomplete_fields = ["local_indicator"]


@admin.register(AssessmentPanel)
class AssessmentPanelAdmin(TenantAdmin):
    list_display = ["edition", "group", "name", "participants"]
    list_filter = ["group"]
    search_fields = ["name", "edition__title_ko"]
    autocomplete_fields = ["edition"]
    inlines = [RatingInline]


@admin.register(IndicatorRating)
class IndicatorRatingAdmin(TenantAdmin):
    list_display = ["panel", "local_indicator", "scores"]
    autocomplete_fields = ["panel", "local_indicator"]


@admin.register(DepartmentResponse)
class DepartmentResponseAdmin(TenantAdmin):
    list_display = ["edition", "local_indicator", "department"]
    autocomplete_fields = ["edition", "local_indicator"]
