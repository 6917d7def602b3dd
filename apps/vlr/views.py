"""VLR edition pages: list and create, the edition (sections with their generated data and
editable narrative, checklist, workflow buttons, threaded comments, Excel download, frozen
numbers and what changed since the last approved edition), and the public read-only pages.

Writes go through apps.vlr.services; the buttons come from apps.vlr.workflow."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import ApplicationError
from apps.core.http import attachment
from apps.core.models import Job
from apps.core.permissions import Action, can_edit, sees_work_in_progress, works_on
from apps.indicators.models import LocalIndicator
from apps.indicators.selectors import public_indicators_by_goal
from apps.municipalities.pages import municipality_for_page
from apps.sdg.models import Goal

from . import assessment, services
from .choices import EditionStatus, ReportKind
from .exports.report import (
    FORMATS,
    check_choice,
    report_bytes,
    report_filename,
    report_in_background,
    report_job_file,
    report_start,
)
from .exports.submission import submission_filename, submission_zip
from .exports.vlr_workbook import vlr_workbook_bytes, vlr_workbook_filename
from .filtersets import EditionFilterSet
from .forms import (
    CommentForm,
    EditionChecklistForm,
    EditionCreateForm,
    EditionStartFromForm,
    GoalNarrativesForm,
    PanelForm,
    SectionForm,
    SubmissionForm,
    TransitionForm,
)
from .models import AssessmentPanel, Comment, Edition, EditionSection, Submission
from .selectors import (
    edition_changes,
    edition_checklist,
    export_data,
    previous_approved_of_kind,
    public_page_of,
    section_facts,
)
from .workflow import TRANSITIONS, editable_by, transitions_for

FROZEN = (EditionStatus.APPROVED, EditionStatus.PUBLISHED)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return getattr(error, "message", None) or str(error)


# --------------------------------------------------------------------------- list / create


def edition_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    base = Edition.objects.for_user(request.user).without_snapshot().filter(municipality=municipality)
    filterset = EditionFilterSet(request.GET, queryset=base)
    editions = list(filterset.qs) if filterset.is_valid() else []
    form = None
    if can_edit(request.user, municipality):
        form = EditionCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                edition = services.edition_create(
                    municipality=municipality, actor=request.user, **form.cleaned_data
                )
            except (ApplicationError, ValidationError) as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    _("Edition created with the outline of its kind (%(kind)s).")
                    % {"kind": edition.get_kind_display()},
                )
                return redirect("vlr:edition", pk=edition.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "vlr/edition_list.html",
        {
            "municipality": municipality,
            "editions": editions,
            "form": form,
        },
    )


# --------------------------------------------------------------------------- edition page


def _comment_tree(comments: list[Comment]) -> list[tuple[Comment, list]]:
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)

    def build(parent_id):
        return [(c, build(c.pk)) for c in children.get(parent_id, [])]

    return build(None)


def _edition_or_404(request, pk: int, action: str = Action.VIEW) -> Edition:
    # The public pages' summary is read by those pages alone.
    return get_object_or_404(
        Edition.objects.for_user(request.user, action)
        .reading("snapshot", "changes_basis")
        .select_related("municipality"),
        pk=pk,
    )


def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk)
    municipality = municipality_for_page(request, edition.municipality.code)
    user = request.user
    if not sees_work_in_progress(user, municipality.pk):
        # Outsiders read published editions on the public page.
        return redirect("vlr:public_edition", pk=edition.pk)
    data = export_data(municipality=municipality, edition=edition, user=user, annex=False)
    sections = list(EditionSection.objects.for_user(user).filter(edition=edition).order_by("order", "id"))
    editable = editable_by(user, edition)
    facts = section_facts(data)
    for section in sections:
        section.facts = facts.get(section.code)
        section.form = SectionForm(instance=section, prefix=f"s{section.pk}") if editable else None
    comments = list(
        Comment.objects.for_user(user)
        .filter(edition=edition)
        .select_related("author", "local_indicator", "initiative")
        .order_by("created_at", "id")
    )
    buttons = transitions_for(user, edition)
    may_comment = works_on(user, municipality.pk)
    # Changes since the last approved edition of this kind; a first edition of its kind that
    # started from another kind's approved edition compares with that one (across kinds).
    previous = previous_approved_of_kind(edition, user)
    if previous is None and edition.based_on_id:
        previous = (
            Edition.objects.for_user(user)
            .filter(pk=edition.based_on_id, status__in=FROZEN, changes_basis__isnull=False)
            .only("id", "year", "kind", "changes_basis", "title_ko", "title_en")
            .first()
        )
    return render(
        request,
        "vlr/edition_detail.html",
        {
            "municipality": municipality,
            "edition": edition,
            "data": data,
            "sections": sections,
            "editable": editable,
            "checklist": edition_checklist(edition, data),
            "checklist_form": EditionChecklistForm(instance=edition) if editable else None,
            "narratives_form": GoalNarrativesForm(edition=edition, goals=data["goals"]) if editable else None,
            "goal_narratives": _narrative_rows(data),
            "preview": sees_work_in_progress(user, municipality.pk)
            and edition.status != EditionStatus.PUBLISHED,
            "comments": _comment_tree(comments),
            "comment_count": len(comments),
            "comment_form": CommentForm(edition=edition, user=user) if may_comment else None,
            "buttons": [(t, TransitionForm(prefix=t.action)) for t in buttons],
            "frozen": data.get("frozen"),
            "changes": edition_changes(previous.changes_basis if previous else None, data),
            "previous": previous,
            "start_from_form": EditionStartFromForm(initial={"year": edition.year})
            if edition.status in FROZEN and can_edit(user, municipality)
            else None,
            "submissions": list(Submission.objects.for_user(user).filter(edition=edition)),
            "submission_form": SubmissionForm()
            if edition.status in FROZEN and can_edit(user, municipality)
            else None,
        },
    )


def _narrative_rows(data: dict) -> list[tuple[dict, dict]]:
    """(goal, narrative) of each goal the city wrote about, for the edition page."""
    narratives = (data.get("edition") or {}).get("goal_narratives") or {}
    return [(g, narratives[str(g["number"])]) for g in data["goals"] if str(g["number"]) in narratives]


@require_POST
@login_required
def goal_narratives_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the city's narrative per goal of a draft edition (all 17 goals at once)."""
    edition = _edition_or_404(request, pk, Action.EDIT)
    goals = list(Goal.objects.order_by("number").values("number", "short_ko", "short_en"))
    form = GoalNarrativesForm(request.POST, edition=edition, goals=goals)
    if form.is_valid():
        try:
            services.edition_update(edition=edition, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Goal narratives saved."))
        except (ApplicationError, ValidationError) as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("vlr:edition", args=[pk]) + "#goal-narratives")


@require_POST
@login_required
def edition_start_from(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new edition (of any kind) from this approved one: narrative carried over by the
    outlines' mapping, numbers from the same data (apps.vlr.services.edition_start_from)."""
    source = _edition_or_404(request, pk)
    form = EditionStartFromForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("vlr:edition", pk=pk)
    try:
        edition, left_out = services.edition_start_from(
            source=source, actor=request.user, **form.cleaned_data
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, _error_text(error))
        return redirect("vlr:edition", pk=pk)
    messages.success(request, _("Edition started from %(source)s.") % {"source": source.title})
    if left_out:
        messages.warning(
            request,
            _("These sections have no place in the new outline and were not carried over: %(codes)s")
            % {"codes": ", ".join(left_out)},
        )
    return redirect("vlr:edition", pk=edition.pk)


@require_POST
@login_required
def section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk, Action.EDIT)
    section = get_object_or_404(
        EditionSection.objects.for_user(request.user, Action.EDIT).filter(edition=edition), pk=section_pk
    )
    form = SectionForm(request.POST, instance=section, prefix=f"s{section.pk}")
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.section_update(
                section=EditionSection.objects.get(pk=section.pk), actor=request.user, **fields
            )
            messages.success(request, _("Section saved."))
        except (ApplicationError, ValidationError) as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("vlr:edition", args=[pk]) + f"#section-{section.code}")


@require_POST
@login_required
def edition_checklist_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the checklist's inputs (participation, focus goals) of a draft edition."""
    edition = _edition_or_404(request, pk, Action.EDIT)
    form = EditionChecklistForm(request.POST, instance=Edition.objects.get(pk=edition.pk))
    if form.is_valid():
        try:
            services.edition_update(edition=edition, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Checklist saved."))
        except (ApplicationError, ValidationError) as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("vlr:edition", args=[pk]) + "#checklist")


@require_POST
@login_required
def edition_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A workflow button. The first POST only shows what the action will do (and, on submit,
    which checklist items are missing) with a confirm button; the POST from that page, carrying
    ``confirmed``, applies it. Works without JavaScript; both steps are CSRF-protected POSTs."""
    edition = _edition_or_404(request, pk)
    action = request.POST.get("action", "")
    form = TransitionForm(request.POST, prefix=action)
    comment = form.data.get(f"{action}-comment", "") if form.is_bound else ""
    transition = TRANSITIONS.get(action)
    if transition is not None and request.POST.get("confirmed") != "yes":
        data = export_data(municipality=edition.municipality, edition=edition, user=request.user, annex=False)
        missing = [item for item in edition_checklist(edition, data) if not item["ok"]]
        return render(
            request,
            "vlr/transition_confirm.html",
            {
                "edition": edition,
                "municipality": edition.municipality,
                "transition": transition,
                "comment": comment,
                "missing": missing if action == "submit" else [],
            },
        )
    try:
        edition = services.edition_transition(
            edition=edition, action=action, actor=request.user, comment=comment
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Done: the edition is now “%(status)s”.") % {"status": edition.get_status_display()}
        )
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
            messages.success(request, _("Comment added."))
            return redirect(reverse("vlr:edition", args=[pk]) + f"#comment-{comment.pk}")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("vlr:edition", args=[pk]) + "#comments")


@require_POST
@login_required
def submission_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a submission of this approved edition with the exact file sent."""
    edition = _edition_or_404(request, pk, Action.EDIT)
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("vlr:edition", args=[pk]) + "#submissions")
    upload = form.cleaned_data.pop("file")
    try:
        services.submission_create(
            edition=edition,
            actor=request.user,
            file_name=upload.name,
            content=upload.read(),
            **form.cleaned_data,
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Submission recorded."))
    return redirect(reverse("vlr:edition", args=[pk]) + "#submissions")


@login_required
def submission_file(request: HttpRequest, pk: int, submission_pk: int) -> FileResponse:
    """The exact file sent, for those who may view the edition's work (404 to anybody else)."""
    submission = get_object_or_404(
        Submission.objects.for_user(request.user).filter(edition_id=pk), pk=submission_pk
    )
    if not sees_work_in_progress(request.user, submission.edition.municipality_id):
        raise Http404
    name = submission.file.name.rsplit("/", 1)[-1]
    return FileResponse(submission.file.open("rb"), as_attachment=True, filename=name)


def edition_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The VLR workbook (Excel) of the edition, as the user may see it: the frozen numbers once
    approved (apps.vlr.exports.vlr_workbook)."""
    edition = _edition_or_404(request, pk)
    content = vlr_workbook_bytes(municipality=edition.municipality, edition=edition, user=request.user)
    return attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        vlr_workbook_filename(edition.municipality, edition.year, edition.kind),
    )


def edition_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report document (PDF or DOCX; ``?lang=ko|en|both``) of the edition, as the user may
    see it: the frozen numbers once approved (apps.vlr.exports.report). A large city's PDF is
    made by a worker: GET offers to start the job, POST starts it and shows its progress, and
    ``?job=<id>`` downloads what it made."""
    edition = _edition_or_404(request, pk)
    lang = request.GET.get("lang", "ko")
    try:
        check_choice(fmt, lang)
        if "job" in request.GET:
            file, name, content_type = report_job_file(
                user=request.user, job_id=request.GET["job"], edition=edition
            )
            return FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
    except ApplicationError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    except Job.DoesNotExist:
        raise Http404 from None
    if request.user.is_authenticated and report_in_background(edition, fmt):
        if request.method == "POST":
            job = report_start(edition=edition, fmt=fmt, lang=lang, actor=request.user)
            return redirect("job", pk=job.pk)
        return render(request, "vlr/report_background.html", {"edition": edition, "fmt": fmt, "lang": lang})
    content = report_bytes(
        municipality=edition.municipality, edition=edition, user=request.user, fmt=fmt, lang=lang
    )
    return attachment(content, FORMATS[fmt], report_filename(edition.municipality, edition.year, fmt, lang))


def edition_submission(request: HttpRequest, pk: int) -> HttpResponse:
    """The submission pack (English PDF, registration card, CSV annex) of the edition, as one zip
    (apps.vlr.exports.submission)."""
    edition = _edition_or_404(request, pk)
    return attachment(
        submission_zip(municipality=edition.municipality, edition=edition, user=request.user),
        "application/zip",
        submission_filename(edition.municipality, edition.year),
    )


# --------------------------------------------------------------------------- public pages


def public_list(request: HttpRequest) -> HttpResponse:
    """The public site's index: every published review, and per city that published one, its
    goals and public indicators (each with its page and CSV) and the city's open-data zip."""
    editions = list(
        Edition.objects.published()
        .without_snapshot()
        .select_related("municipality")
        .order_by("-year", "municipality__code")
    )
    cities = {e.municipality_id: e.municipality for e in sorted(editions, key=lambda e: e.municipality.code)}
    goals = {
        g["number"]: g
        for g in Goal.objects.order_by("number").values("number", "short_ko", "short_en", "colour")
    }
    indicators = public_indicators_by_goal(cities)
    index = [
        {
            "city": city,
            "editions": [e for e in editions if e.municipality_id == pk],
            "goals": [(goals[n], rows) for n, rows in sorted(indicators.get(pk, {}).items())],
        }
        for pk, city in cities.items()
    ]
    return render(request, "vlr/public_list.html", {"editions": editions, "index": index})


def _public_page(request: HttpRequest, edition: Edition, data: dict, *, preview: bool) -> HttpResponse:
    sections = list(EditionSection.objects.filter(edition=edition, included=True).order_by("order", "id"))
    facts = section_facts(data)
    for section in sections:
        section.facts = facts.get(section.code)
    return render(
        request,
        "vlr/public_edition.html",
        {
            "edition": edition,
            "municipality": edition.municipality,
            "data": data,
            "sections": sections,
            "workbook": not preview,
            "preview": preview,
        },
    )


def public_edition(request: HttpRequest, pk: int) -> HttpResponse:
    """A published edition for anybody: its included sections and the frozen numbers exactly as
    approved (selectors.report.public_view), from the summary stored at approval;
    planners and coordinators read the same page."""
    edition = get_object_or_404(
        Edition.objects.published().reading("public_summary").select_related("municipality"), pk=pk
    )
    # With the reader as user: an edition published before snapshots had their present form
    # falls back to the live rows this reader may see, never to every private row.
    return _public_page(request, edition, public_page_of(edition, user=request.user), preview=False)


@login_required
def edition_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Preview as the public": the public page of this edition as it would read if published
    now — the numbers an approval would freeze (or has frozen), every indicator and initiative,
    without the review's internals. For those who read the edition's work in progress."""
    edition = get_object_or_404(
        Edition.objects.for_user(request.user).reading("public_summary").select_related("municipality"), pk=pk
    )
    if not sees_work_in_progress(request.user, edition.municipality_id):
        raise Http404
    return _public_page(request, edition, public_page_of(edition), preview=True)


# --------------------------------------------------------------------------- indicator assessment


def _assessment_or_404(request, pk: int) -> Edition:
    edition = _edition_or_404(request, pk)
    if edition.kind != ReportKind.ASSESSMENT or not sees_work_in_progress(
        request.user, edition.municipality_id
    ):
        raise Http404
    return edition


def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The results of a 지속가능성 평가's indicator assessment: per indicator the mean score per
    criterion, the flags, comments and department responses; its panels, and a new panel form."""
    edition = _assessment_or_404(request, pk)
    editable = editable_by(request.user, edition)
    form = PanelForm(request.POST or None) if editable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                panel = assessment.panel_create(edition=edition, actor=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as error:
                form.add_error(None, _error_text(error))
            else:
                return redirect("vlr:panel", pk=pk, panel_pk=panel.pk)
    return render(
        request,
        "vlr/assessment.html",
        {
            "edition": edition,
            "municipality": edition.municipality,
            "results": assessment.assessment_results(edition, request.user),
            "form": form,
        },
    )


def panel_page(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    """One panel's screen: every local indicator in a row, a number box per criterion (1–5) and a
    comment, saved together (Tab moves along the row, Enter saves); or a spreadsheet import."""
    edition = _assessment_or_404(request, pk)
    panel = get_object_or_404(
        AssessmentPanel.objects.for_user(request.user).filter(edition=edition), pk=panel_pk
    )
    criteria = list(edition.criteria.all())
    indicators = list(
        LocalIndicator.objects.for_user(request.user)
        .filter(municipality_id=edition.municipality_id, retired_at__isnull=True)
        .order_by("code")
    )
    editable = editable_by(request.user, edition)
    if request.method == "POST":
        if not editable:
            raise Http404
        try:
            if "file" in request.FILES:
                saved = assessment.panel_ratings_import(
                    panel=panel, file=request.FILES["file"], actor=request.user
                )
            else:
                rows = [
                    {
                        "where": f"row {number}",
                        "indicator": indicator.code,
                        "scores": {
                            c.code: request.POST.get(f"{indicator.code}:{c.code}", "") for c in criteria
                        },
                        "comment": request.POST.get(f"{indicator.code}:comment", ""),
                        "columns": {c.code: f"{c.name_ko} / {c.name_en}" for c in criteria},
                    }
                    for number, indicator in enumerate(indicators, start=1)
                ]
                saved = assessment.panel_ratings_save(panel=panel, rows=rows, actor=request.user)
        except (ApplicationError, ValidationError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(n)s ratings saved.") % {"n": saved})
            return redirect("vlr:panel", pk=pk, panel_pk=panel.pk)
    ratings = {r.local_indicator_id: r for r in panel.ratings.all()}
    rows = [
        (
            indicator,
            [
                (c, (ratings[indicator.pk].scores.get(c.code, "") if indicator.pk in ratings else ""))
                for c in criteria
            ],
            ratings[indicator.pk].comment if indicator.pk in ratings else "",
        )
        for indicator in indicators
    ]
    return render(
        request,
        "vlr/panel.html",
        {
            "edition": edition,
            "municipality": edition.municipality,
            "panel": panel,
            "criteria": criteria,
            "rows": rows,
            "editable": editable,
        },
    )
