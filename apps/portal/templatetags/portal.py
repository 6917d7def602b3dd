"""The header's template helper (``{% load portal %}``): the user's municipalities, the current
one, whether they review a network and their unread notifications: it reads several apps."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.core.permissions import reviews_anywhere
from apps.core.templatetags.ui import both
from apps.indicators.progress import Status
from apps.indicators.templatetags.progress import status_badge, status_colour, status_label
from apps.municipalities.pages import current_municipality_code, user_municipalities
from apps.notifications.models import Notification

register = template.Library()


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
    user = request.user
    data = {"municipalities": [], "current": None, "reviewer": False, "unread": 0}
    if user.is_authenticated:
        data["municipalities"] = user_municipalities(user)
        data["current"] = current_municipality_code(request)
        data["reviewer"] = reviews_anywhere(user)
        data["unread"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    request._ui_nav = data
    return data


@register.simple_tag
def network_rows(rows):
    """The body rows (``<tr>``) of the network grid, one per municipality: its name linking to
    its dashboard, then a cell per goal with "on track or achieved / assessed" linking to the
    goal page, a sentence for screen readers, the deterioration badge and the initiatives,
    coloured by the status most of the goal's indicators have. Built in Python with every
    repeated string (a status's attributes, a badge, the links' shape) made once: a page has
    100 × 17 cells, which the template language took over a second to render."""
    goal_url = reverse("sdg:goal", args=["CODE", 0])
    head, _, tail = goal_url.rpartition("0")
    dashboard = reverse("municipalities:dashboard", args=["CODE"])
    init = f"<small>{escape(gettext('init.'))} "
    sample = f" <small>({escape(gettext('sample data'))})</small>"
    sentence = gettext("%(good)s of %(assessed)s assessed on track or achieved (%(total)s indicators)")
    styles = {
        status: (
            f' class="cell status-{status.value}" style="--status:{status_colour(status)}"'
            f' data-status="{status.value}"',
            escape(status_label(status)) + "; ",
        )
        for status in Status
    }
    badges: dict[int, str] = {}
    out = []
    for municipality, cells in rows:
        code = escape(municipality.code)
        name = escape(both(municipality, "name"))
        out.append(
            f'<tr><th scope="row"><a href="{dashboard.replace("CODE", code)}">{name}</a>'
            f"{sample if municipality.is_sample_data else ''}</th>"
        )
        cell_head = escape(head.replace("CODE", code))
        for cell in cells:
            summary, headline = cell.summary, cell.headline
            attrs, label = styles[headline] if headline else ("", "")
            if not summary.total:
                out.append(f"<td{attrs}>–<br>{init}{cell.initiatives}</small></td>")
                continue
            counts = summary.counts
            good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
            said = escape(sentence % {"good": good, "assessed": summary.assessed, "total": summary.total})
            bad = counts[Status.DETERIORATION]
            if bad and bad not in badges:
                badges[bad] = f"<br>{status_badge(Status.DETERIORATION, bad)}"
            number = cell.goal.number
            out.append(
                f'<td{attrs}><a href="{cell_head}{number}{escape(tail)}">{good}/{summary.assessed}'
                f'<span class="visually-hidden"> SDG {number}: {label}{said}</span></a>{badges.get(bad, "")}'
                f"<br>{init}{cell.initiatives}</small></td>"
            )
        out.append("</tr>")
    return mark_safe("".join(out))  # every text above is escaped or a number
