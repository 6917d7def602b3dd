from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "apps.frameworks"
    label = "frameworks"

    def ready(self):
        # load_reference (apps.municipalities, one layer down) loads the UN SDG and K-SDG
        # frameworks through this function, without importing this app.
        from apps.municipalities.services import register_reference_step

        from .reference import frameworks_load

        register_reference_step(frameworks_load)
