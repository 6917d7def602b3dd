from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "verb", "message_en", "read_at", "emailed"]
    list_filter = ["verb"]
    raw_id_fields = ["recipient", "actor", "edition"]
