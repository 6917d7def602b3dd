"""Evidence inbox: ingested documents with their SDG suggestions, the matched terms highlighted,
confirm/reject in one click, a link by hand (target, local indicator or initiative, and the
sentence that proves it, each chosen with the shared picker), upload or paste.

Writes go through ``apps.evidence.services``; who may decide is
``apps.core.permissions.may_decide_evidence``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import ApplicationError
from apps.core.permissions import Action, can_edit, may_decide_evidence, sees_work_in_progress
from apps.municipalities.pages import municipality_for_page
from apps.sdg.models import Target

from . import services
from .choices import LinkStatus
from .forms import DocumentAddForm, ManualLinkForm
from .models import Document, EvidenceLink

INBOX_SIZE = 50


def error_text(error: ApplicationError | ValidationError) -> str:
    """The messages of an error, never its Python repr (a ValidationError built from a dict
    of fields has no ``message`` and prints as a dict)."""
    if isinstance(error, ApplicationError):
        return error.message
    return "; ".join(error.messages)


#: The inbox groups of documents the classifier suggested nothing for: waiting for a person to
#: link them by hand or dismiss them, and those dismissed as no evidence (which can be restored).
NO_SUGGESTION = "none"
DISMISSED = "dismissed"


@login_required
def inbox(request: HttpRequest, code: str) -> HttpResponse:
    """Documents of the municipality with links in one status (suggestions waiting for a
    decision by default), or with no link at all (``status=none``: nothing was suggested, so a
    person links them by hand or dismisses them; ``status=dismissed``: those dismissed): the
    city's own public action first (evidence score), then newest first. Every document is in
    some group; none vanishes."""
    municipality = municipality_for_page(request, code)
    status = request.GET.get("status", LinkStatus.SUGGESTED)
    if status not in (*LinkStatus.values, NO_SUGGESTION, DISMISSED):
        status = LinkStatus.SUGGESTED
    documents = Document.objects.for_user(request.user).filter(municipality=municipality)
    unlinked = documents.filter(links__isnull=True, dismissed_at__isnull=True)
    if status == NO_SUGGESTION:
        documents = unlinked
    elif status == DISMISSED:
        documents = documents.filter(dismissed_at__isnull=False)
    else:
        waiting = EvidenceLink.objects.for_user(request.user).filter(status=status)
        documents = (
            documents.annotate(n_links=Count("links", filter=Q(links__status=status)))
            .filter(n_links__gt=0)
            .prefetch_related(
                Prefetch("links", queryset=waiting.select_related("target", "goal"), to_attr="waiting")
            )
        )
    documents = documents.order_by(F("evidence_score").desc(nulls_last=True), "-published_date", "-id")
    add_form = None
    if can_edit(request.user, municipality):
        add_form = DocumentAddForm()
    return render(
        request,
        "evidence/inbox.html",
        {
            "municipality": municipality,
            "documents": list(documents[:INBOX_SIZE]),
            "status": status,
            "statuses": [
                *LinkStatus.choices,
                (NO_SUGGESTION, _("No suggestion (link by hand)")),
                (DISMISSED, _("Dismissed as no evidence")),
            ],
            "unlinked": unlinked.count() if status not in (NO_SUGGESTION, DISMISSED) else None,
            "no_suggestion": NO_SUGGESTION,
            "dismissed": DISMISSED,
            "add_form": add_form,
            "size": INBOX_SIZE,
        },
    )


def _spans(link: EvidenceLink) -> list[tuple[int, int]]:
    """Character ranges of the body that a suggestion's reasons and carrying features point at
    (``{"start", "end", "field"}``; title hits are not body ranges)."""
    return [
        (r["start"], r["end"])
        for r in (link.reasons or []) + (link.features or [])
        if r.get("field") == "body" and "start" in r
    ]


def carried_by(link: EvidenceLink, document: Document) -> list[dict]:
    """The learned features that carried a suggestion, for display: the words of the title or
    body they stand for (from their offsets), or what a lexicon feature means; with the weight."""
    out = []
    for f in link.features or []:
        text = {"title": document.title, "body": document.body}.get(f.get("field"), "")
        words = text[f["start"] : f["end"]] if text and "start" in f else ""
        out.append(
            {"feature": f["feature"], "words": words, "detail": f.get("detail", ""), "weight": f["weight"]}
        )
    return out


def reason_terms(link: EvidenceLink) -> list[str]:
    return list(dict.fromkeys(r["term"] for r in link.reasons or []))


def _document_context(request, document: Document, link_form=None) -> dict:
    links = list(
        EvidenceLink.objects.for_user(request.user)
        .filter(document=document)
        .select_related("target__goal", "goal", "local_indicator", "initiative", "decided_by")
        .prefetch_related("goal__targets")  # a goal-level suggestion offers its goal's targets
        .order_by("status", "-score", "id")
    )
    spans = [span for link in links if link.status != LinkStatus.REJECTED for span in _spans(link)]
    internals = sees_work_in_progress(request.user, document.municipality_id)
    for link in links:
        link.terms = reason_terms(link)
        link.carried = carried_by(link, document)
        link.show_decider = internals and link.decided_by_id is not None
    deciding = may_decide_evidence(request.user, document.municipality_id)
    municipality = document.municipality
    if link_form is None and deciding and document.dismissed_at is None:
        link_form = ManualLinkForm(document=document, user=request.user)
    return {
        "document": document,
        "municipality": municipality,
        "links": links,
        "spans": spans,
        "can_decide": deciding,
        "link_form": link_form,
        # nothing waiting or linked: the person may dismiss the document instead
        "can_dismiss": deciding and all(link.status == LinkStatus.REJECTED for link in links),
        "show_dismisser": internals and document.dismissed_at is not None,
    }


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original proof file, to whoever may read the document."""
    document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
    if not document.original_file:
        raise Http404
    name = document.original_file.name.rsplit("/", 1)[-1]
    return FileResponse(document.original_file.open("rb"), as_attachment=True, filename=name)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.for_user(request.user).select_related("municipality", "dismissed_by"), pk=pk
    )
    return render(request, "evidence/document_detail.html", _document_context(request, document))


@login_required
@require_POST
def link_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or reject one suggestion (``decision`` = confirm | reject)."""
    link = get_object_or_404(EvidenceLink.objects.for_user(request.user).select_related("document"), pk=pk)
    decision = request.POST.get("decision")
    function = {"confirm": services.suggestion_confirm, "reject": services.suggestion_reject}.get(
        decision or ""
    )
    if function is None:
        raise Http404
    try:
        extra = {}
        if decision == "confirm" and request.POST.get("target"):
            # a goal-level suggestion is confirmed with the target the person picked
            extra["target"] = Target.objects.filter(code=request.POST["target"]).first()
            if extra["target"] is None:
                raise ValidationError("알 수 없는 세부목표입니다 / unknown target")
        function(link=link, actor=request.user, note=request.POST.get("note", ""), **extra)
        messages.success(
            request, _("Suggestion confirmed.") if decision == "confirm" else _("Suggestion rejected.")
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, error_text(error))
    return redirect(reverse("evidence:document", args=[link.document_id]) + f"#link-{link.pk}")


@login_required
@require_POST
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the document by hand to a target, local indicator or initiative, quoting the sentence
    of the body the person chose."""
    document = get_object_or_404(
        Document.objects.for_user(request.user).select_related("municipality"), pk=pk
    )
    form = ManualLinkForm(request.POST, document=document, user=request.user)
    if form.is_valid():
        try:
            services.evidence_link_create(document=document, actor=request.user, **form.link_arguments())
            messages.success(request, _("Link added."))
            return redirect("evidence:document", pk=document.pk)
        except (ApplicationError, ValidationError) as error:
            form.add_error(None, error_text(error))
    return render(
        request, "evidence/document_detail.html", _document_context(request, document, form), status=200
    )


@login_required
@require_POST
def document_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss a document with nothing waiting as no evidence (``decision=dismiss``), or restore
    it to the inbox (``decision=restore``)."""
    document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
    decision = request.POST.get("decision")
    function = {"dismiss": services.document_dismiss, "restore": services.document_restore}.get(
        decision or ""
    )
    if function is None:
        raise Http404
    try:
        function(document=document, actor=request.user)
        messages.success(
            request,
            _("Dismissed as no evidence.") if decision == "dismiss" else _("Restored to the inbox."),
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, error_text(error))
    return redirect("evidence:document", pk=document.pk)


@login_required
@require_POST
def document_add(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a file (txt, html, md, pdf, docx, hwpx, hwp) or paste text; the pipeline cleans it
    and suggests SDGs."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    form = DocumentAddForm(request.POST, request.FILES)
    if form.is_valid():
        data, filename = form.payload()
        try:
            result = services.document_ingest(
                data=data, filename=filename, municipality=municipality, actor=request.user
            )
        except (ApplicationError, ValidationError) as error:
            messages.error(request, error_text(error))
            return redirect("evidence:inbox", code=code)
        if result.status == "refused" or result.document is None:
            messages.error(request, result.reason)
            return redirect("evidence:inbox", code=code)
        if result.status == "duplicate":
            messages.info(request, _("The same text is already stored: here it is."))
        else:
            messages.success(request, _("Document stored: %(n)s suggestions.") % {"n": result.suggestions})
        return redirect("evidence:document", pk=result.document.pk)
    for error in form.errors.values():
        messages.error(request, "; ".join(error))
    return redirect("evidence:inbox", code=code)
