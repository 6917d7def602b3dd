"""Shared model bits: timestamps and bilingual names."""
from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def pick_language(ko: str, en: str) -> str:
    """The name in the active language, falling back to the other one when missing."""
    if (get_language() or "ko").startswith("en"):
        return en or ko
    return ko or en


def both_languages(ko: str, en: str) -> str:
    """"국문 / English" when both exist, else whichever exists."""
    if ko and en and ko != en:
        return f"{ko} / {en}"
    return ko or en
