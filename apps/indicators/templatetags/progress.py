"""Template helpers for progress statuses (``{% load progress %}``): a status's label, weather
word and colour, and a badge that always carries its text."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

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


# The national report's weather words, in English when English is active.
WEATHER_EN = {"맑음": "sunny", "맑거나 흐림": "sunny to cloudy", "흐림": "cloudy", "뇌우": "thunderstorm"}


@register.filter
def status_weather(value) -> str:
    word = STATUS_LABELS[_status(value)].weather_ko
    return WEATHER_EN.get(word, word) if is_english() else word


@register.filter
def status_colour(value) -> str:
    return STATUS_LABELS[_status(value)].colour


@register.simple_tag
def status_badge(value, count=None):
    """A coloured badge that always carries its text label (colour is never the only carrier);
    the national report's weather word follows in the active language."""
    status = _status(value)
    label = STATUS_LABELS[status]
    text = label.en if is_english() else label.ko
    weather = status_weather(status) if label.weather_ko != "–" else ""
    number = format_html('<span class="badge-count">{}</span> ', count) if count is not None else ""
    return format_html(
        '<span class="badge status-{}" style="--status:{}" data-status="{}">{}'
        '<span class="badge-text">{}</span>{}</span>',
        status.value,
        label.colour,
        status.value,
        number,
        text,
        format_html(' <span class="weather">({})</span>', weather) if weather else "",
    )


@register.simple_tag
def status_legend():
    return format_html(
        '<ul class="legend" aria-label="legend">{}</ul>',
        format_html_join("", "<li>{}</li>", ((status_badge(s),) for s in Status)),
    )


# The engine (pure, no Django) writes its notes in English and snapshots keep them so; they are
# shown in the active language. Each pattern is one note of apps/indicators/progress.py.
_NOTES = [
    (
        r"target year (?P<a>\d+) has passed: evaluated up to (?P<b>\d+)",
        gettext_lazy("target year %(a)s has passed: evaluated up to %(b)s"),
    ),
    (
        r"no value for (?P<a>\d+): base is the first year after it \((?P<b>\d+)\)",
        gettext_lazy("no value for %(a)s: base is the first year after it (%(b)s)"),
    ),
    (
        r"fewer than two points from (?P<a>\d+): base is the first point \((?P<b>\d+)\)",
        gettext_lazy("fewer than two points from %(a)s: base is the first point (%(b)s)"),
    ),
    (
        r"(?P<a>\d+) point\(s\) up to the target year (?P<b>\d+): target year not after the base year",
        gettext_lazy("%(a)s point(s) up to the target year %(b)s: target year not after the base year"),
    ),
    (r"fewer than two data points", gettext_lazy("fewer than two data points")),
    (r"target equals base value: p undefined", gettext_lazy("target equals base value: p undefined")),
    (
        r"target equals base value: ratio undefined, growth method used",
        gettext_lazy("target equals base value: ratio undefined, growth method used"),
    ),
    (
        r"growth from a base this close to zero overflows: ratio undefined, growth method used",
        gettext_lazy("growth from a base this close to zero overflows: ratio undefined, growth method used"),
    ),
    (
        r"base and latest values differ in sign: growth \(CAGR\) method does not apply",
        gettext_lazy("base and latest values differ in sign: growth (CAGR) method does not apply"),
    ),
    (
        r"base and target values differ in sign: growth \(CAGR\) method does not apply",
        gettext_lazy("base and target values differ in sign: growth (CAGR) method does not apply"),
    ),
    (
        r"(?P<a>x0|xt|xT) = 0 replaced by (?P<b>[0-9.e-]+) in CAGR",
        gettext_lazy("%(a)s = 0 replaced by %(b)s in CAGR"),
    ),
    (
        r"all values negative: magnitudes used with direction flipped",
        gettext_lazy("all values negative: magnitudes used with direction flipped"),
    ),
    (r"no data point", gettext_lazy("no data point")),
    (
        r"binary: condition met earlier, no longer met",
        gettext_lazy("binary: condition met earlier, no longer met"),
    ),
    (
        r"binary: not achieved \(shown as limited progress\)",
        gettext_lazy("binary: not achieved (shown as limited progress)"),
    ),
]
_NOTES = [(re.compile(pattern + "$"), message) for pattern, message in _NOTES]
_METHODS = {
    "ratio": gettext_lazy("ratio (R)"),
    "growth": gettext_lazy("growth (g)"),
    "binary": gettext_lazy("yes/no"),
    "insufficient": gettext_lazy("not assessable"),
}


@register.filter
def progress_note(note: str) -> str:
    """The engine's note ("a; b") in the active language; an unknown note is shown as written."""
    out = []
    for part in str(note or "").split("; "):
        for pattern, message in _NOTES:
            match = pattern.match(part)
            if match:
                part = str(message) % match.groupdict() if match.groupdict() else str(message)
                break
        out.append(part)
    return "; ".join(p for p in out if p)


@register.filter
def progress_method(method) -> str:
    return str(_METHODS.get(str(getattr(method, "value", method)), method))
