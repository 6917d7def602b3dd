from django.apps import AppConfig


class VlrConfig(AppConfig):
    name = "apps.vlr"
    label = "vlr"
