from django.db import models

from apps.core.permissions import Role  # noqa: F401  roles are defined with the permissions


class Level(models.TextChoices):
    PROVINCE = "province", "광역자치단체 / Province-level"
    MUNICIPALITY = "municipality", "기초자치단체 / Municipality"
    OTHER = "other", "기타 / Other local government"
