"""Pure-Python evidence engine: bytes or text in, an :class:`Analysis` out.

No database and no Django: the ingest service, the ``classify`` command and
the tests call :func:`analyse` and store or print what it returns.

    decode -> clean -> metadata (+ municipality) -> list-page split -> classify

See the modules for the rules of each step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import unicodedata
from dataclasses import dataclass, field

from .classify import assess_evidence, classify
from .clean import Cleaned, clean_html, clean_text, looks_like_html
from .decode import (
    ALLOWED_EXTENSIONS,
    MAX_BYTES,
    Decoded,
    Refused,
    check_text,
    decode_bytes,
)
from .files import FILE_EXTENSIONS, extract_text
from .listpage import split_list_page, strip_language_marker
from .metadata import Meta, extract_metadata, language_of
from .municipality import detect_municipality, normalise_code, resolve_name
from .text import OutOfTime

__all__ = [
    "FILE_EXTENSIONS",
    "MAX_BYTES",
    "Analysis",
    "Decoded",
    "Refused",
    "analyse",
    "analysis_to_json",
    "assess_evidence",
    "classify",
    "content_hash",
    "decode_bytes",
    "normalise_code",
    "resolve_name",
]


@dataclass
class Analysis:
    title: str
    published: dt.date | None
    page_date: dt.date | None
    author: str
    publisher: str
    source_url: str
    municipality_code: str | None
    language: str  # 'ko' | 'en'
    body: str
    raw: str
    goals: list[dict]  # topic: which goals/targets the text is about
    evidence: dict = field(default_factory=dict)  # is it a public body's action: {"score", "reasons"}
    items: list[Analysis] = field(default_factory=list)
    content_hash: str = ""
    encoding: str = ""
    kind: str = "document"  # document | list | item
    file_format: str = ""  # "pdf" | "docx" | "hwpx" | "hwp" when the text came out of such a file
    parent_hash: str = ""  # for items: content_hash of the list page
    notes: list[str] = field(default_factory=list)  # what could not be done (time budget)


def content_hash(body: str) -> str:
    """sha256 of the clean body, normalised (NFC, whitespace collapsed, case-folded)."""
    # str.split() and re's \s agree on what white space is: the runs collapsed, the ends cut
    norm = " ".join(unicodedata.normalize("NFC", body or "").split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _to_text(data: str | bytes, filename: str) -> tuple[str, str]:
    ext = os.path.splitext(filename)[1].lower() if filename else ""
    if isinstance(data, (bytes, bytearray)):
        if ext in FILE_EXTENSIONS:
            return extract_text(bytes(data), ext), ""
        d = decode_bytes(bytes(data), filename)
        return d.text, d.encoding
    if ext not in ALLOWED_EXTENSIONS:  # a str named .pdf/.docx is not that file
        decode_bytes(b"x", filename)  # raises the same "unsupported extension" refusal
    if len(check_text(data).encode("utf-8")) > MAX_BYTES:
        raise Refused(f"글이 너무 깁니다 / text too large: > {MAX_BYTES // (1024 * 1024)} MB limit")
    if not data.strip():
        raise Refused("빈 파일입니다 / empty file")
    return data.replace("\r\n", "\n").replace("\r", "\n"), "str"


def _item_analysis(title: str, body: str, parent: Analysis, deadline: float | None) -> Analysis:
    code, goals = None, []
    try:
        goals = classify(title, body, deadline=deadline)
        code = detect_municipality(title, body, topical=bool(goals), deadline=deadline)
    except OutOfTime:
        pass  # said once for the page (see analyse)
    return Analysis(
        title=title,
        published=None,
        page_date=parent.page_date,
        author="",
        publisher=parent.publisher,
        source_url="",
        municipality_code=code,
        language=language_of(title + "\n" + body),
        body=body,
        raw=title + "\n" + body,
        goals=goals,
        evidence=assess_evidence(title, body, code),
        content_hash=content_hash(title + "\n" + body),
        encoding=parent.encoding,
        kind="item",
        parent_hash=parent.content_hash,
    )


def _expired(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def analyse(
    text_or_bytes: str | bytes,
    *,
    filename: str = "",
    is_html: bool | None = None,
    budget: float | None = None,
) -> Analysis:
    """Decode, clean, extract metadata and suggest SDGs for one input.

    Raises :class:`Refused` for input that cannot be ingested (binary, empty,
    too large, unsupported extension). A page that is only boilerplate yields
    an Analysis with an empty ``body``; the caller decides to refuse it.

    ``budget`` (seconds) bounds the work: every step is linear in the input, and once the
    budget is spent the steps not yet done are skipped (a page's remaining lines are taken as
    plain text; no dates, municipality or suggestions), which ``notes`` says. The result is
    still a document: what was found, never a hang.
    """
    deadline = None if budget is None else time.monotonic() + budget
    text, encoding = _to_text(text_or_bytes, filename)
    ext = os.path.splitext(filename)[1].lower() if filename else ""
    if ext in FILE_EXTENSIONS:
        is_html = False  # a PDF/DOCX/HWP text is never markup
    if is_html is None:
        is_html = ext in (".html", ".htm") or (ext != ".txt" and ext != ".md" and looks_like_html(text))
    c: Cleaned = clean_html(text, deadline=deadline) if is_html else clean_text(text, deadline=deadline)
    skipped = []
    if c.unread_from is not None:
        skipped.append(f"page layout after line {c.unread_from + 1} of {len(c.lines)}")
    if _expired(deadline):
        meta, items = Meta(language=language_of(c.title + "\n" + c.body)), []
        skipped.append("dates, author, publisher, source, list items")
    else:
        meta, items = extract_metadata(c), split_list_page(c)
    title = c.title
    kind = "document"
    if items:
        kind = "list"
        title = strip_language_marker(items[0].title)
    body = c.body
    code, goals = None, []
    try:
        goals = classify(title, body, deadline=deadline)
    except OutOfTime:
        skipped.append("SDG suggestions")
    try:
        code = detect_municipality(title, body, topical=bool(goals), deadline=deadline)
    except OutOfTime:
        skipped.append("municipality")
    a = Analysis(
        title=title,
        published=meta.published,
        page_date=meta.page_date,
        author=meta.author,
        publisher=meta.publisher,
        source_url=meta.source_url,
        municipality_code=code,
        language=meta.language,
        body=body,
        raw=c.raw,
        goals=goals,
        evidence=assess_evidence(title, body, code),
        content_hash=content_hash(body),
        encoding=encoding,
        kind=kind,
        file_format=ext[1:]
        if ext in FILE_EXTENSIONS and isinstance(text_or_bytes, (bytes, bytearray))
        else "",
    )
    a.items = [_item_analysis(it.title, it.body, a, deadline) for it in items]
    if _expired(deadline) and any(not item.goals for item in a.items):
        skipped.append("SDG suggestions of some list items")
    if skipped:
        a.notes.append(
            f"분석 시간 {budget:g}초 초과로 일부 생략 / analysis stopped at its {budget:g} s budget; "
            f"not done: {'; '.join(skipped)}"
        )
    return a


def analysis_to_json(a: Analysis, file: str) -> dict:
    """The ``manage.py classify --json`` line for one file (design.md §6)."""
    return {
        "file": file,
        "title": a.title,
        "published": a.published.isoformat() if a.published else None,
        "page_date": a.page_date.isoformat() if a.page_date else None,
        "municipality_code": a.municipality_code,
        "body": a.body,
        "goals": a.goals,
        "evidence": a.evidence,
    }
