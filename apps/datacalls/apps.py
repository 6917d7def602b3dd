from django.apps import AppConfig


class DatacallsConfig(AppConfig):
    name = "apps.datacalls"
    label = "datacalls"
    default_auto_field = "django.db.models.BigAutoField"
