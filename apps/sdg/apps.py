from django.apps import AppConfig


class SdgConfig(AppConfig):
    name = "apps.sdg"
    label = "sdg"
