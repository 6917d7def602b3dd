from django.db import models


class Direction(models.IntegerChoices):
    HIGHER = 1, "높을수록 좋음 / higher is better"
    LOWER = -1, "낮을수록 좋음 / lower is better"


class Alignment(models.TextChoices):
    EXACT = "exact", "동일 / exact"
    PROXY = "proxy", "대리 / proxy"


class Sex(models.TextChoices):
    TOTAL = "", "전체 / total"
    FEMALE = "female", "여성 / female"
    MALE = "male", "남성 / male"


class Disability(models.TextChoices):
    TOTAL = "", "전체 / total"
    WITH = "with", "장애인 / persons with disabilities"
    WITHOUT = "without", "비장애인 / persons without disabilities"


# Disaggregation dimensions of an observation, in annex column order. Empty string = total.
DISAGGREGATIONS = ("sex", "age_group", "district", "income_group", "disability")


class Origin(models.TextChoices):
    """Where a stored value came from (its provenance); empty = not known (a value stored before
    provenance was recorded whose text named no source)."""

    UNKNOWN = "", "알 수 없음 / unknown"
    FILE = "file", "파일 / file"
    KOSIS = "kosis", "KOSIS"
    MANUAL = "manual", "직접 입력 / entered by hand"
    API = "api", "API"
