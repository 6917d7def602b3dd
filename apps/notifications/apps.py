from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Notifications sit above vlr: vlr calls what is registered here after each transition
        # and comment, and never imports this app.
        from apps.vlr.services import listen

        from .services import comment_notify, edition_transition_notify

        listen("transition", edition_transition_notify)
        listen("comment", comment_notify)
