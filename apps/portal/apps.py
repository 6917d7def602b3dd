from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the layers: pages and helpers that span several apps (dashboard, network,
    goal page, gap matrix, the header's navigation, demo and scale data). Imports any app; no
    app imports it (README "Architecture")."""

    name = "apps.portal"
    label = "portal"
