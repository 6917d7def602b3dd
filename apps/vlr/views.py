"""VLR edition pages: list and create, the edition (sections with their generated data and
editable narrative, checklist, workflow buttons, threaded comments, Excel download, frozen
numbers and what changed since the last approved edition), and the public read-only pages.

Writes go through apps.vlr.services; the buttons come from apps.vlr.workflow."""
from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import ApplicationError
from apps.core.permissions import Action, municipality_scope
from apps.core.views import can_edit, municipality_for_page
from apps.notifications.services import comment_notify, edition_transition_notify
from apps.reports.selectors import export_data

from . import services
from .choices import EditionStatus
from .filtersets import EditionFilterSet
from .forms import CommentForm, EditionCreateForm, SectionForm, TransitionForm
from .models import Comment, Edition, EditionSection
from .workflow import EDITABLE_STATUSES, allowed_transitions

FROZEN = (EditionStatus.APPROVED, EditionStatus.PUBLISHED)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return getattr(error, "message", None) or str(error)


# --------------------------------------------------------------------------- list / create


def edition_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    base = Edition.objects.for_user(request.user).filter(municipality=municipality)
    filterset = EditionFilterSet(request.GET, queryset=base)
    editions = list(filterset.qs) if filterset.is_valid() else []
    form = None
    if can_edit(request.user, municipality):
        form = EditionCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                edition = services.edition_create(municipality=municipality, actor=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Edition created with the default VLR outline."))
                return redirect("vlr:edition", pk=edition.pk)
    elif request.method == "POST":
        raise Http404
    return render(request, "vlr/edition_list.html", {
        "municipality": municipality, "editions": editions, "form": form,
    })


# --------------------------------------------------------------------------- edition page


def _comment_tree(comments: list[Comment]) -> list[tuple[Comment, list]]:
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)

    def build(parent_id):
        return [(c, build(c.pk)) for c in children.get(parent_id, [])]

    return build(None)


def checklist(edition: Edition, data: dict) -> list[dict]:
    """The VLR principles the page checks (vlr_structure.md §1), from the report data."""
    indicators = data.get("indicators", [])
    touched = {s["goal"] for s in data.get("goal_summaries", []) if s.get("indicators") or s.get("initiatives")}
    focus = (data.get("edition") or {}).get("focus_goals") or []
    uncited = [ind["code"] for ind in indicators if not ind.get("data_source")]
    return [
        {"ok": bool((data.get("edition") or {}).get("participation") or edition.participation),
         "label": _("Participation recorded (who took part in preparing the review)")},
        {"ok": any(len(ind.get("series", [])) > 1 for ind in indicators),
         "label": _("Disaggregated data present (leave no one behind)")},
        {"ok": len(touched) == 17 or bool(focus),
         "label": _("Goals covered: %(n)s of 17 goals touched%(focus)s") % {
             "n": len(touched), "focus": (_("; focus goals %s") % ", ".join(map(str, focus))) if focus else ""}},
        {"ok": bool(indicators) and not uncited and bool(data.get("evidence")),
         "label": _("Sources cited: every indicator has a data source and confirmed evidence exists")
         + (f" ({_('missing')}: {', '.join(uncited[:10])})" if uncited else "")},
    ]


def section_facts(data: dict) -> dict[str, dict]:
    """Generated data shown beside the narrative, per section code (vlr_structure.md §1)."""
    indicators = data.get("indicators", [])
    initiatives = data.get("initiatives", [])
    goals = {g["number"]: g for g in data.get("goals", [])}
    budget: dict[int, int] = defaultdict(int)
    for ini in initiatives:
        for goal in {t["goal"] for t in ini.get("targets", [])}:
            budget[goal] += ini.get("budget_krw") or 0
    by_group: dict[str, list[str]] = defaultdict(list)
    for ini in initiatives:
        for group in ini.get("groups", []):
            by_group[f"{group['name_ko']} / {group['name_en']}"].append(ini["title_ko"] or ini["title_en"])
    covered_targets = {t["target"] for ini in initiatives for t in ini.get("targets", [])}
    return {
        "highlights": {"goal_summaries": [(goals.get(s["goal"]), s) for s in data.get("goal_summaries", [])]},
        "methodology": {
            "indicator_count": len(indicators),
            "sources": sorted({ind["data_source"] for ind in indicators if ind.get("data_source")}),
        },
        "enabling.lnob": {
            "groups": sorted(by_group.items()),
            "disaggregated": [ind for ind in indicators if len(ind.get("series", [])) > 1],
        },
        "progress": {"indicators": indicators},
        "means": {"budget": [(goals.get(n), amount) for n, amount in sorted(budget.items())]},
        "next_steps": {
            "no_data": [ind for ind in indicators if ind["status"]["status"] == "insufficient_data"],
            "no_target": [ind for ind in indicators if ind.get("target_value") is None and not ind.get("target_note")],
            "targets_without_initiative": [t for t in data.get("targets", []) if t["code"] not in covered_targets],
        },
        "annex.statistical": {"observations": sum(len(ind.get("observations", [])) for ind in indicators)},
        "annex.metadata": {"indicators": indicators},
    }


def changes_since(previous: dict | None, current: dict) -> dict | None:
    """What changed between the last approved edition's frozen numbers and this edition's:
    indicators whose status or latest value moved, indicators and initiatives added/removed,
    and the number of confirmed evidence links."""
    if not previous:
        return None

    def latest(ind):
        for series in ind.get("series", []):
            if not any((series.get("key") or {}).values()):
                progress = series.get("progress") or {}
                return progress.get("t"), progress.get("xt")
        return None, None

    old = {ind["code"]: ind for ind in previous.get("indicators", [])}
    new = {ind["code"]: ind for ind in current.get("indicators", [])}
    moved = []
    for code in sorted(set(old) & set(new)):
        a, b = old[code], new[code]
        if a["status"]["status"] != b["status"]["status"] or latest(a) != latest(b):
            moved.append({"code": code, "name_ko": b["name_ko"], "name_en": b["name_en"],
                          "old_status": a["status"]["status"], "new_status": b["status"]["status"],
                          "old_latest": latest(a), "new_latest": latest(b)})
    old_ini = {i["id"]: i for i in previous.get("initiatives", [])}
    new_ini = {i["id"]: i for i in current.get("initiatives", [])}
    return {
        "year": previous.get("year"),
        "moved": moved,
        "added_indicators": [new[c] for c in sorted(set(new) - set(old))],
        "removed_indicators": [old[c] for c in sorted(set(old) - set(new))],
        "added_initiatives": [new_ini[i] for i in new_ini.keys() - old_ini.keys()],
        "removed_initiatives": [old_ini[i] for i in old_ini.keys() - new_ini.keys()],
        "evidence": (len(previous.get("evidence", [])), len(current.get("evidence", []))),
    }


def _edition_or_404(request, pk: int, action: str = Action.VIEW) -> Edition:
    return get_object_or_404(Edition.objects.for_user(request.user, action).select_related("municipality"), pk=pk)


def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk)
    municipality = municipality_for_page(request, edition.municipality.code)
    user = request.user
    if not municipality_scope(user, Action.VIEW).allows(municipality.pk):
        # Outsiders read published editions on the public page.
        return redirect("vlr:public_edition", pk=edition.pk)
    data = export_data(municipality=municipality, edition=edition, user=user)
    sections = list(EditionSection.objects.for_user(user).filter(edition=edition).order_by("order", "id"))
    editable = edition.status in EDITABLE_STATUSES and can_edit(user, municipality)
    facts = section_facts(data)
    for section in sections:
        section.facts = facts.get(section.code)
        section.form = SectionForm(instance=section, prefix=f"s{section.pk}") if editable else None
    comments = list(
        Comment.objects.for_user(user).filter(edition=edition)
        .select_related("author", "local_indicator", "initiative").order_by("created_at", "id")
    )
    buttons = [
        t for t in allowed_transitions(edition.status) if municipality_scope(user, t.needs).allows(municipality.pk)
    ]
    may_comment = can_edit(user, municipality) or municipality_scope(user, Action.REVIEW).allows(municipality.pk)
    previous = (
        Edition.objects.for_user(user)
        .filter(municipality=municipality, status__in=FROZEN, year__lt=edition.year, snapshot__isnull=False)
        .order_by("-year").only("id", "year", "snapshot").first()
    )
    return render(request, "vlr/edition_detail.html", {
        "municipality": municipality, "edition": edition, "data": data, "sections": sections,
        "editable": editable, "checklist": checklist(edition, data),
        "comments": _comment_tree(comments), "comment_count": len(comments),
        "comment_form": CommentForm(edition=edition, user=user) if may_comment else None,
        "buttons": [(t, TransitionForm(prefix=t.action)) for t in buttons],
        "workbook": _workbook_builder() is not None,
        "frozen": data.get("frozen"), "changes": changes_since(previous.snapshot if previous else None, data),
        "previous": previous,
    })


@require_POST
@login_required
def section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk, Action.EDIT)
    section = get_object_or_404(EditionSection.objects.for_user(request.user, Action.EDIT).filter(edition=edition),
                                pk=section_pk)
    form = SectionForm(request.POST, instance=section, prefix=f"s{section.pk}")
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.section_update(section=EditionSection.objects.get(pk=section.pk), actor=request.user, **fields)
            messages.success(request, _("Section saved."))
        except (ApplicationError, ValidationError) as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("vlr:edition", args=[pk]) + f"#section-{section.code}")


@require_POST
@login_required
def edition_transition(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk)
    action = request.POST.get("action", "")
    form = TransitionForm(request.POST, prefix=action)
    comment = form.data.get(f"{action}-comment", "") if form.is_bound else ""
    try:
        edition = services.edition_transition(edition=edition, action=action, actor=request.user, comment=comment)
    except (ApplicationError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        transition = edition.transitions.order_by("-at", "-id").first()
        if transition is not None:
            # Idempotent per transition: harmless once apps.vlr.services notifies too.
            edition_transition_notify(transition=transition)
        messages.success(request, _("Done: the edition is now “%(status)s”.") % {"status": edition.get_status_display()})
    return redirect("vlr:edition", pk=pk)


@require_POST
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk)
    form = CommentForm(request.POST, edition=edition, user=request.user)
    if form.is_valid():
        try:
            comment = services.comment_create(edition=edition, actor=request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as error:
            messages.error(request, _error_text(error))
        else:
            comment_notify(comment=comment)  # idempotent per comment
            messages.success(request, _("Comment added."))
            return redirect(reverse("vlr:edition", args=[pk]) + f"#comment-{comment.pk}")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("vlr:edition", args=[pk]) + "#comments")


def _workbook_builder():
    try:
        from apps.reports.exports.vlr_workbook import vlr_workbook_bytes
    except ImportError:
        return None
    return vlr_workbook_bytes


def edition_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The VLR workbook (Excel) of the edition, as the user may see it: the frozen numbers once
    approved (apps.reports.exports.vlr_workbook)."""
    edition = _edition_or_404(request, pk)
    build = _workbook_builder()
    if build is None:
        raise Http404
    content = build(municipality=edition.municipality, edition=edition, user=request.user)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="vlr_{edition.municipality.code}_{edition.year}.xlsx"'
    return response


# --------------------------------------------------------------------------- public pages


def public_list(request: HttpRequest) -> HttpResponse:
    editions = (
        Edition.objects.published().select_related("municipality").order_by("-year", "municipality__code")
    )
    return render(request, "vlr/public_list.html", {"editions": editions})


def public_edition(request: HttpRequest, pk: int) -> HttpResponse:
    """A published edition for anybody: included sections, the frozen numbers (public rows only
    for outsiders)."""
    edition = get_object_or_404(Edition.objects.published().select_related("municipality"), pk=pk)
    municipality = edition.municipality
    data = export_data(municipality=municipality, edition=edition, user=request.user)
    sections = list(EditionSection.objects.published().filter(edition=edition, included=True).order_by("order", "id"))
    facts = section_facts(data)
    for section in sections:
        section.facts = facts.get(section.code)
    return render(request, "vlr/public_edition.html", {
        "edition": edition, "municipality": municipality, "data": data, "sections": sections,
        "workbook": _workbook_builder() is not None,
    })
