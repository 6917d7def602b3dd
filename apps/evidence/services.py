"""Writes on evidence: ingesting documents (with their SDG suggestions), confirming or
rejecting suggestions, linking a document by hand with a quoted excerpt."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, PermissionDeniedError
from apps.core.permissions import (
    Action,
    is_admin,
    may_decide_evidence,
    municipality_scope,
    reviews_anywhere,
    works_on,
)
from apps.municipalities.models import Municipality
from apps.sdg.models import Goal, Target

from .choices import LINK_TRANSITIONS, DocumentKind, LinkOrigin, LinkStatus
from .models import Document, EvidenceLink
from .pipeline import Analysis, Refused, analyse, normalise_code


@dataclass
class IngestResult:
    """Outcome for one input: ``created``, ``duplicate`` or ``refused`` (with a one-line reason)."""

    name: str
    status: str
    reason: str = ""
    document: Document | None = None
    items: list[Document] = field(default_factory=list)
    suggestions: int = 0

    def line(self) -> str:
        if self.status == "refused":
            return f"refused    {self.name}: {self.reason}"
        what = f"{self.document.title[:60]!r}" if self.document else ""
        extra = f", {len(self.items)} items" if self.items else ""
        code = self.document.municipality.code if self.document and self.document.municipality_id else "-"
        return f"{self.status:10} {self.name}: {what} [municipality {code}, {self.suggestions} suggestions{extra}]"


def _may_ingest(actor, municipality: Municipality | None) -> bool:
    """Planners and coordinators add evidence: for a municipality they work on, or (none named)
    anywhere they work. Asked before any analysis, so that nobody else can keep a worker busy."""
    if actor is None or is_admin(actor):  # None: a command run by the operator
        return True
    if municipality is not None:
        return works_on(actor, municipality.pk)
    return bool(municipality_scope(actor, Action.EDIT).ids) or reviews_anywhere(actor)


def _same_text(content_hash: str, municipality: Municipality | None, actor) -> Document | None:
    """The tenant's own document with this text: deduplication never reaches across tenants
    (see ``Document``), so a duplicate never shows another city's document or uploader."""
    documents = Document.objects.filter(content_hash=content_hash)
    if municipality is not None:
        return documents.filter(municipality=municipality).first()
    uploader = actor if getattr(actor, "is_authenticated", False) else None
    return documents.filter(municipality__isnull=True, created_by=uploader).first()


# A page that calls itself a press release ("보도자료를 전재", "Press release") is one; the kind
# is a first guess that a person can change.
_PRESS_RELEASE = re.compile(r"보도자료|press release", re.IGNORECASE)


def _kind(analysis: Analysis, requested: str | None) -> str:
    if requested:
        if requested not in DocumentKind.values:
            raise ApplicationError(
                f"알 수 없는 종류 / unknown kind {requested!r}: use one of {', '.join(DocumentKind.values)}"
            )
        return requested
    if analysis.kind == "list":
        return DocumentKind.RESOURCE_LIST
    if analysis.kind == "item":
        return DocumentKind.CASE_STUDY
    if _PRESS_RELEASE.search(analysis.raw):
        return DocumentKind.PRESS_RELEASE
    return DocumentKind.NEWS


def document_ingest(
    *,
    data: bytes | str,
    name: str = "",
    filename: str = "",
    municipality: Municipality | None = None,
    kind: str | None = None,
    actor=None,
    is_html: bool | None = None,
) -> IngestResult:
    """Receive one file or pasted text: decode, clean, extract metadata, suggest SDG targets, store.

    Permission first (``PermissionDeniedError`` before any analysis): only planners and
    coordinators add evidence, for a municipality they work on. Then never raises for bad
    input: a refusal comes back as ``IngestResult(status="refused")`` with a one-line reason, so a
    batch goes on; metadata that cannot be stored becomes unknown, with a note. The analysis
    stops at ``settings.EVIDENCE_ANALYSIS_BUDGET_SECONDS``: what was found is stored, with a
    note saying what was not done. The same clean body ingested twice is one document per
    tenant. ``municipality`` overrides the detected one.
    """
    label = name or filename or "pasted text"
    if not _may_ingest(actor, municipality):
        what = f"{municipality.name_ko} ({municipality.code})" if municipality else "any municipality"
        raise PermissionDeniedError(
            f"권한 없음: 근거 문서를 추가할 수 없습니다 / you cannot add evidence for {what}"
        )
    try:
        analysis = analyse(
            data, filename=filename, is_html=is_html, budget=settings.EVIDENCE_ANALYSIS_BUDGET_SECONDS
        )
    except Refused as refusal:
        return IngestResult(label, "refused", str(refusal))
    if not analysis.body.strip():
        return IngestResult(
            label,
            "refused",
            "기사 본문이 없습니다(메뉴와 반복 문구뿐) / no article text: the page is only navigation/boilerplate",
        )
    if municipality is None and analysis.municipality_code:
        municipality = Municipality.objects.filter(code=normalise_code(analysis.municipality_code)).first()
    if not _may_ingest(actor, municipality):
        return IngestResult(
            label,
            "refused",
            f"권한 없음 / you cannot add evidence for {municipality.name_ko} ({municipality.code}); "
            "choose one of your municipalities",
        )
    existing = _same_text(analysis.content_hash, municipality, actor)
    if existing is not None:
        return IngestResult(label, "duplicate", f"same text as document {existing.pk}", existing)
    try:
        kind_value = _kind(analysis, kind)
    except ApplicationError as error:
        return IngestResult(label, "refused", error.message)
    try:
        with transaction.atomic():
            original = data if analysis.file_format and isinstance(data, bytes) else None
            document = _store(
                analysis,
                municipality=municipality,
                kind=kind_value,
                filename=filename,
                actor=actor,
                original=original,
            )
            items = []
            for index, item in enumerate(analysis.items, start=1):
                item_municipality = municipality
                if item.municipality_code:
                    item_municipality = (
                        Municipality.objects.filter(code=normalise_code(item.municipality_code)).first()
                        or municipality
                    )
                if _same_text(item.content_hash, item_municipality, actor) is not None:
                    continue
                items.append(
                    _store(
                        item,
                        municipality=item_municipality,
                        kind=_kind(item, None),
                        filename=f"{filename}#{index}" if filename else "",
                        actor=actor,
                        parent=document,
                    )
                )
    except IntegrityError:  # the same text arrived concurrently
        existing = _same_text(analysis.content_hash, municipality, actor)
        return IngestResult(label, "duplicate", "same text ingested concurrently", existing)
    except ValidationError as error:  # only the body can still be wrong (metadata degrades)
        return IngestResult(label, "refused", "; ".join(error.messages))
    suggestions = EvidenceLink.objects.filter(
        document__in=[document, *items], origin=LinkOrigin.SUGGESTED
    ).count()
    return IngestResult(label, "created", document=document, items=items, suggestions=suggestions)


#: Metadata read from the page, and what it is when unknown. A value the model refuses (a
#: relative or non-http "URL", an over-long author) becomes unknown with a note; it never
#: refuses the document.
_UNKNOWN = {
    "title": "",
    "source_url": "",
    "publisher": "",
    "author": "",
    "published_date": None,
    "page_date": None,
    "language": "ko",
    "encoding": "",
    "filename": "",
}


def _store(
    analysis: Analysis, *, municipality, kind, filename, actor, parent=None, original=None
) -> Document:
    """One document; ``original`` (the bytes of a PDF/DOCX/HWPX/HWP) is kept under MEDIA_ROOT."""
    document = Document(
        municipality=municipality,
        parent=parent,
        kind=kind,
        title=analysis.title[:500],
        source_url=analysis.source_url[:1000],
        publisher=analysis.publisher[:200],
        author=analysis.author[:200],
        published_date=analysis.published,
        page_date=analysis.page_date,
        language=analysis.language,
        filename=filename[:300],
        encoding=analysis.encoding[:30],
        raw_content=analysis.raw,
        body=analysis.body,
        content_hash=analysis.content_hash,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        evidence_score=analysis.evidence.get("score"),
        evidence_reasons=analysis.evidence.get("reasons", []),
    )
    if original is not None:
        document.original_file.save(
            filename.replace("\\", "/").rsplit("/", 1)[-1] or "document", ContentFile(original), save=False
        )
    notes = list(analysis.notes)
    try:
        # uniqueness is asked before (_same_text) and held by the database (IntegrityError)
        document.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        unusable = [name for name in error.message_dict if name in _UNKNOWN]
        if len(unusable) < len(error.message_dict):
            raise
        for name in unusable:
            notes.append(
                f"{name}: {str(getattr(document, name))[:200]!r} 인식 불가, 미상으로 저장 / not usable, stored as unknown"
            )
            setattr(document, name, _UNKNOWN[name])
        document.full_clean(validate_unique=False, validate_constraints=False)
    document.analysis_note = "\n".join(notes)
    if document.created_by:
        document._history_user = document.created_by
    document.save()
    _suggest(document, analysis.goals)
    return document


def _suggest(document: Document, goals: list[dict]) -> list[EvidenceLink]:
    """One suggested link per suggested target, carrying the classifier's score, reasons and
    the learned features that carried its goal; a goal suggested with no target (the learned
    scorer found it, no lexicon term named one of its targets) is one goal-level suggestion,
    whose target the person who confirms it picks.

    A target once rejected for this document stays rejected: the unique constraint on
    (document, target) for suggestions means re-classification never brings it back; a goal
    already suggested for this document (through a target or at goal level, in any state) gets
    no goal-level suggestion again.
    """
    codes = [code for goal in goals for code in goal["targets"]]
    targets = {t.code: t for t in Target.objects.filter(code__in=codes)}
    earlier = list(
        document.links.filter(origin=LinkOrigin.SUGGESTED).values_list(
            "target__code", "target__goal__number", "goal__number"
        )
    )
    already = {code for code, _g, _gl in earlier if code}
    goals_had = {g for _c, tg, gl in earlier for g in (tg, gl) if g}
    bare = {
        g.number: g for g in Goal.objects.filter(number__in=[x["goal"] for x in goals if not x["targets"]])
    }
    links = []
    for goal in goals:
        common = {
            "document": document,
            "municipality": document.municipality,
            "origin": LinkOrigin.SUGGESTED,
            "status": LinkStatus.SUGGESTED,
            "score": goal["score"],
            "features": goal.get("features", []),
        }
        if not goal["targets"]:
            if goal["goal"] in goals_had or goal["goal"] not in bare:
                continue
            # no lexicon term: the features say why (the adjustments too, e.g. the marketing rule)
            reasons = goal["reasons"] + goal.get("adjustments", [])
            links.append(
                EvidenceLink(goal=bare[goal["goal"]], reasons=reasons, **common, **_excerpt(document, goal))
            )
            goals_had.add(goal["goal"])
            continue
        for code in goal["targets"]:
            if code in already or code not in targets:
                continue
            reasons = [r for r in goal["reasons"] if r.get("target") == code] or goal["reasons"]
            reasons = reasons + goal.get("adjustments", [])  # e.g. the marketing rule, shown with the terms
            first = next((r for r in reasons if r.get("field") == "body"), None)
            start, end = _sentence(document.body, first) if first else (None, None)
            links.append(
                EvidenceLink(
                    target=targets[code],
                    reasons=reasons,
                    excerpt_start=start,
                    excerpt_end=end,
                    excerpt=document.body[start:end] if first else "",
                    **common,
                )
            )
            already.add(code)
    return EvidenceLink.objects.bulk_create(links)


def _excerpt(document: Document, goal: dict) -> dict:
    """The sentence around the first body feature (or lexicon hit) that carried a goal."""
    first = next(
        (r for r in goal["reasons"] + goal.get("features", []) if r.get("field") == "body" and "start" in r),
        None,
    )
    if first is None:
        return {}
    start, end = _sentence(document.body, first)
    return {"excerpt_start": start, "excerpt_end": end, "excerpt": document.body[start:end]}


# A sentence ends at a full stop that is not a decimal point, at ? ! 。 or at a line end.
_SENTENCE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|[?!。]|\n")


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """The sentences of a body as offsets ``(start, end)``, its closing mark included and the
    white space around it left out: what a suggestion quotes, and what a person picks as the
    excerpt of a link by hand."""
    spans, start = [], 0
    for mark in _SENTENCE_END.finditer(body):
        spans.append((start, mark.end()))
        start = mark.end()
    spans.append((start, len(body)))
    out = []
    for start, end in spans:
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _sentence(body: str, reason: dict) -> tuple[int, int]:
    """The sentence(s) around a matched term, as offsets into the body: the excerpt a person reads."""
    start, end = reason["start"], reason["end"]
    spans = sentence_spans(body)
    first = next((s for s, e in spans if e > start), start)
    last = next((e for s, e in spans if e >= end), end)
    return min(first, start), max(last, end)


def document_reclassify(*, document: Document) -> list[EvidenceLink]:
    """Run the classifier again (e.g. after the lexicon grew); rejected targets are not re-suggested."""
    # a proof file's raw_content is its extracted text: read it as text
    filename = "document.txt" if document.original_file else (document.filename or "document.txt")
    analysis = analyse(document.raw_content or document.body, filename=filename)
    return _suggest(document, analysis.goals)


def _decide(link: EvidenceLink, status: str, actor, note: str) -> EvidenceLink:
    if not may_decide_evidence(actor, link.municipality_id):
        raise PermissionDeniedError(
            "이 근거를 판단할 권한이 없습니다 / you cannot decide on this evidence link"
        )
    if status == link.status:
        return link
    if status not in LINK_TRANSITIONS.get(link.status, set()):
        raise ApplicationError(
            f"'{link.status}' → '{status}' 변경 불가 / cannot move a link from {link.status} to {status}",
            code="invalid_transition",
        )
    link.status, link.decided_by, link.decided_at = status, actor, timezone.now()
    if note:
        link.note = note
    link.full_clean()
    link._history_user = actor
    link.save()
    return link


@transaction.atomic
def suggestion_confirm(
    *, link: EvidenceLink, actor, note: str = "", target: Target | None = None
) -> EvidenceLink:
    """A person agrees that the document is evidence for the suggested target. A goal-level
    suggestion is confirmed with the ``target`` the person picks, one of that goal's: the link
    then points at the target (its goal cleared), like any other."""
    if link.target_id is None and link.goal_id is not None:
        if target is None or target.goal_id != link.goal_id:
            raise ValidationError(
                f"목표 {link.goal.number}의 세부목표를 하나 고르세요 / "
                f"pick one of goal {link.goal.number}'s targets to confirm this goal-level suggestion"
            )
        if link.document.links.filter(origin=LinkOrigin.SUGGESTED, target=target).exists():
            raise ValidationError("이미 제안된 세부목표입니다 / target already suggested for this document")
        link.target, link.goal = target, None
    elif target is not None and target.pk != link.target_id:
        raise ValidationError(
            "세부목표는 목표 단위 제안에만 고릅니다 / a target is picked only for a goal-level suggestion"
        )
    return _decide(link, LinkStatus.CONFIRMED, actor, note)


@transaction.atomic
def suggestion_reject(*, link: EvidenceLink, actor, note: str = "") -> EvidenceLink:
    """A person disagrees; the target will not be suggested again for this document."""
    return _decide(link, LinkStatus.REJECTED, actor, note)


def _may_decide_document(document: Document, actor) -> None:
    if not may_decide_evidence(actor, document.municipality_id):
        raise PermissionDeniedError("이 문서를 판단할 권한이 없습니다 / you cannot decide on this document")


@transaction.atomic
def document_dismiss(*, document: Document, actor) -> Document:
    """A person decides that a document with nothing waiting (no suggestion, no link) is no
    evidence: it leaves the inbox's "no suggestion" group for the "dismissed" one, and can be
    restored. A document with a suggestion waiting or a link is decided link by link."""
    _may_decide_document(document, actor)
    if document.links.exclude(status=LinkStatus.REJECTED).exists():
        raise ApplicationError(
            "제안이나 연결이 있는 문서는 제안·연결별로 판단하세요 / this document has suggestions or links: "
            "confirm or reject them one by one",
            code="document_has_links",
        )
    if document.dismissed_at is None:
        document.dismissed_at, document.dismissed_by = timezone.now(), actor
        document.full_clean(validate_unique=False, validate_constraints=False)
        document._history_user = actor
        document.save(update_fields=["dismissed_at", "dismissed_by", "updated_at"])
    return document


@transaction.atomic
def document_restore(*, document: Document, actor) -> Document:
    """Undo ``document_dismiss``: the document waits in the inbox again."""
    _may_decide_document(document, actor)
    if document.dismissed_at is not None:
        document.dismissed_at, document.dismissed_by = None, None
        document.full_clean(validate_unique=False, validate_constraints=False)
        document._history_user = actor
        document.save(update_fields=["dismissed_at", "dismissed_by", "updated_at"])
    return document


@transaction.atomic
def evidence_link_create(
    *,
    document: Document,
    actor,
    excerpt_start: int,
    excerpt_end: int,
    target=None,
    local_indicator=None,
    initiative=None,
    note: str = "",
) -> EvidenceLink:
    """Link a document by hand to one target, local indicator or initiative, quoting the excerpt
    (offsets into the clean body) that proves it. The link is confirmed by its author."""
    owner = (
        (local_indicator or initiative).municipality
        if (local_indicator or initiative)
        else document.municipality
    )
    if excerpt_start is None or excerpt_end is None:
        raise ApplicationError(
            "인용문을 선택하세요 / select the excerpt that proves the link", code="excerpt_required"
        )
    if document.municipality_id and owner is not None and owner.pk != document.municipality_id:
        raise ApplicationError(
            "문서와 다른 지자체의 지표·사업에 연결할 수 없습니다 / "
            "the indicator or initiative belongs to another municipality than the document"
        )
    link = EvidenceLink(
        document=document,
        municipality=owner,
        target=target,
        local_indicator=local_indicator,
        initiative=initiative,
        excerpt_start=excerpt_start,
        excerpt_end=excerpt_end,
        origin=LinkOrigin.MANUAL,
        status=LinkStatus.CONFIRMED,
        decided_by=actor,
        decided_at=timezone.now(),
        note=note,
    )
    if not may_decide_evidence(actor, link.municipality_id):
        raise PermissionDeniedError(
            "이 지자체의 근거를 연결할 권한이 없습니다 / you cannot link evidence for this municipality"
        )
    link.full_clean()
    link.excerpt = document.body[excerpt_start:excerpt_end]
    link._history_user = actor
    link.save()
    return link
