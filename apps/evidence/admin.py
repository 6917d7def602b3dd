from django.contrib import admin

from apps.core.admin import TenantAdmin

from .models import Document, EvidenceLink


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0
    fields = [
        "target",
        "local_indicator",
        "initiative",
        "status",
        "origin",
        "score",
        "excerpt",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = ["origin", "score", "decided_by", "decided_at"]
    autocomplete_fields = ["target", "local_indicator", "initiative"]


@admin.register(Document)
class DocumentAdmin(TenantAdmin):
    list_display = ["title", "municipality", "kind", "published_date", "page_date", "publisher", "created_at"]
    list_filter = ["kind", "language", "municipality", "is_public"]
    search_fields = ["title", "body", "publisher", "author", "source_url"]
    readonly_fields = ["content_hash", "encoding", "raw_content", "created_by"]
    autocomplete_fields = ["municipality", "parent"]
    inlines = [EvidenceLinkInline]


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(TenantAdmin):
    list_display = ["document", "target", "local_indicator", "initiative", "status", "origin", "score"]
    list_filter = ["status", "origin", "municipality", "target__goal"]
    search_fields = ["document__title", "excerpt", "target__code", "target__title_ko", "target__title_en"]
    autocomplete_fields = ["document", "target", "local_indicator", "initiative"]
    list_select_related = ["document", "target", "local_indicator", "initiative"]
