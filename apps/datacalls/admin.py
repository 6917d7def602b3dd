from django.contrib import admin

from apps.core.admin import TenantAdmin

from .models import DataCall, DataCallReminder


@admin.register(DataCall)
class DataCallAdmin(TenantAdmin):
    list_display = ("municipality", "year", "due_date", "closed_at")
    list_filter = ("closed_at",)
    readonly_fields = ("opened_by", "closed_by", "closed_at")


@admin.register(DataCallReminder)
class DataCallReminderAdmin(admin.ModelAdmin):
    list_display = ("data_call", "email", "step", "sent_at")
    list_select_related = ("data_call",)
