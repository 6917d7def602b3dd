from django.contrib import admin

from apps.core.admin import TenantAdmin

from .models import Comment, Edition, EditionSection, EditionTransition
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

    list_display = ["municipality", "year", "title_ko", "status", "updated_at"]
    list_filter = ["status", "year", "municipality"]
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
