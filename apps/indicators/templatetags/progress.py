"""Template helpers for progress statuses (``{% load progress %}``): a status's label, weather
word and colour, and a badge that always carries its text."""
from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from apps.core.templatetags.ui import is_english
from apps.indicators.progress import STATUS_LABELS, Status

register = template.Library()


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
