from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "apps.evidence"
    label = "evidence"

    def ready(self):
        from django.conf import settings

        from .pipeline.model import configure

        configure(settings.EVIDENCE_MODEL_PATH)  # the pure-Python engine reads no settings itself
