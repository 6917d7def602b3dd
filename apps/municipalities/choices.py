from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "광역자치단체 / Province-level"
    MUNICIPALITY = "municipality", "기초자치단체 / Municipality"
    OTHER = "other", "기타 / Other local government"


class Role(models.TextChoices):
    PLANNER = "planner", "담당자 / Planner"
    VIEWER = "viewer", "열람자 / Viewer"
