from django.db import models


class Kind(models.TextChoices):
    GLOBAL = "global", "국제 / global"
    NATIONAL = "national", "국가 / national"
    LOCAL = "local", "지역 / local"
    NETWORK = "network", "네트워크 / network"


class Relation(models.TextChoices):
    EQUIVALENT = "equivalent", "동일 / equivalent"
    PART_OF = "part_of", "일부 / part of"
    CONTRIBUTES_TO = "contributes_to", "기여 / contributes to"
