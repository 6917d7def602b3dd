from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "apps.municipalities"
    label = "municipalities"

    def ready(self):
        # core's permissions read who works where from this app's tables without importing it.
        from apps.core.permissions import register_scope_rows

        from .scopes import scope_union_sql

        register_scope_rows(scope_union_sql)
