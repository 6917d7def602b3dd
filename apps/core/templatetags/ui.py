"""Template helpers for the web UI: bilingual names, numbers and highlighted excerpts.

Helpers that need an app live with it: progress status badges in ``{% load progress %}``
(apps.indicators), the header's navigation in ``{% load portal %}`` (apps.portal)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.models import both_languages, one_language

register = template.Library()

# Names with a Korean and an English form, by attribute stem (name_ko/name_en, title_ko/...).
_STEMS = ("name", "title", "short")


def is_english() -> bool:
    return (get_language() or "ko").startswith("en")


@register.filter
def both(obj, stem: str = "") -> str:
    """``{{ goal|both:"short" }}`` -> "빈곤퇴치 / No poverty" (both_languages of the model)."""
    if obj is None:
        return ""
    stems = (stem,) if stem else _STEMS
    for s in stems:
        ko, en = getattr(obj, f"{s}_ko", None), getattr(obj, f"{s}_en", None)
        if ko is not None or en is not None:
            return _marked(ko or "", en or "")
    if isinstance(obj, dict):
        for s in stems:
            if f"{s}_ko" in obj or f"{s}_en" in obj:
                return _marked(obj.get(f"{s}_ko") or "", obj.get(f"{s}_en") or "")
    return str(obj)


def _marked(ko: str, en: str) -> str:
    """Both names; on a Korean page a name that has no Korean (the UN reference lacks one, e.g.
    target 11.c) is shown in English with a marker, never with an invented translation."""
    if en and not ko and not is_english():
        return f"{en} ({_('no Korean text')})"
    return both_languages(ko, en)


@register.filter
def bilingual(label: str) -> str:
    """Choice labels are stored as "국문 / English": show the active language's half."""
    if not label or " / " not in str(label):
        return label
    return one_language(label)


@register.filter
def num(value, digits: int = 2) -> str:
    """A number for people: thousands separators, up to ``digits`` decimals, '–' for None."""
    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    text = f"{number:,.{int(digits)}f}".rstrip("0").rstrip(".")
    return text


@register.filter
def pct(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def krw(value) -> str:
    if value is None:
        return "–"
    return f"{int(value):,} " + ("KRW" if is_english() else "원")


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def highlight(text: str, spans) -> str:
    """Wrap the character ranges ``spans`` [(start, end), ...] of ``text`` in <mark>, escaping
    everything else. Overlapping or out-of-range spans are merged or clipped."""
    text = text or ""
    clean: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans or () if s is not None and e is not None):
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        if clean and start <= clean[-1][1]:
            clean[-1][1] = max(clean[-1][1], end)
        else:
            clean.append([start, end])
    parts, pos = [], 0
    for start, end in clean:
        parts.append(format_html("{}", text[pos:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        pos = end
    parts.append(format_html("{}", text[pos:]))
    return mark_safe("".join(parts))


@register.filter
def lang(obj, stem: str) -> str:
    """The active language's ``<stem>_ko``/``<stem>_en`` with fallback (e.g. summaries)."""
    ko, en = getattr(obj, f"{stem}_ko", "") or "", getattr(obj, f"{stem}_en", "") or ""
    return (en or ko) if is_english() else (ko or _marked(ko, en))


@register.filter
def when(value) -> str:
    """A moment in the user's time zone (Asia/Seoul by default), ``YYYY-MM-DD HH:MM TZ``.
    Accepts a datetime or the ISO text a JSON snapshot keeps (``frozen_at``), which is in UTC."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    return date_format(timezone.localtime(value), "Y-m-d H:i T")
