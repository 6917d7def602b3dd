"""Template helpers for the web UI: bilingual names, progress status badges, numbers,
highlighted excerpts and the navigation (municipality switcher)."""
from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from apps.core.models import both_languages
from apps.indicators.progress import STATUS_LABELS, Status

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
            return both_languages(ko or "", en or "")
    if isinstance(obj, dict):
        for s in stems:
            if f"{s}_ko" in obj or f"{s}_en" in obj:
                return both_languages(obj.get(f"{s}_ko") or "", obj.get(f"{s}_en") or "")
    return str(obj)


@register.filter
def bilingual(label: str) -> str:
    """Choice labels are stored as "국문 / English": show the active language's half."""
    if not label or " / " not in str(label):
        return label
    ko, en = str(label).split(" / ", 1)
    return en if is_english() else ko


def _status(value) -> Status:
    value = getattr(value, "status", value)
    try:
        return Status(str(value))
    except ValueError:
        return Status.INSUFFICIENT_DATA


@register.filter
def status_label(value) -> str:
    label = STATUS_LABELS[_status(value)]
    return label.en if is_english() else label.ko


@register.filter
def status_weather(value) -> str:
    return STATUS_LABELS[_status(value)].weather_ko


@register.filter
def status_colour(value) -> str:
    return STATUS_LABELS[_status(value)].colour


@register.simple_tag
def status_badge(value, count=None):
    """A coloured badge that always carries its text label (colour is never the only carrier);
    the weather word of the national report is shown in Korean and given as title in English."""
    status = _status(value)
    label = STATUS_LABELS[status]
    text = label.en if is_english() else label.ko
    weather = label.weather_ko if label.weather_ko != "–" else ""
    number = format_html('<span class="badge-count">{}</span> ', count) if count is not None else ""
    return format_html(
        '<span class="badge status-{}" style="--status:{}" data-status="{}">{}'
        '<span class="badge-text">{}</span>{}</span>',
        status.value, label.colour, status.value, number, text,
        format_html(' <span class="weather">({})</span>', weather) if weather else "",
    )


@register.simple_tag
def status_legend():
    return format_html(
        '<ul class="legend" aria-label="legend">{}</ul>',
        format_html_join("", "<li>{}</li>", ((status_badge(s),) for s in Status)),
    )


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
    return (en or ko) if is_english() else (ko or en)


@register.simple_tag(takes_context=True)
def nav(context):
    """What the header needs: the user's municipalities (switcher), the current one, whether
    they review a network, unread notifications. Computed once per request."""
    request = context.get("request")
    if request is None:
        return {}
    cached = getattr(request, "_ui_nav", None)
    if cached is not None:
        return cached
    from apps.core.permissions import Action, municipality_scope
    from apps.core.views import current_municipality_code, user_municipalities

    user = request.user
    data = {"municipalities": [], "current": None, "reviewer": False, "unread": 0}
    if user.is_authenticated:
        data["municipalities"] = user_municipalities(user)
        data["current"] = current_municipality_code(request)
        review = municipality_scope(user, Action.REVIEW)
        data["reviewer"] = review.all or bool(review.ids)
        from apps.notifications.models import Notification

        data["unread"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    request._ui_nav = data
    return data
