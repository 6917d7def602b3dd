"""The report document as a print-ready PDF: the content model (:mod:`.report_content`) into
HTML and CSS paged media (``vlr/report/front.html`` and ``chapter.html``), laid out by
WeasyPrint.

Why WeasyPrint: a pure pip install (no browser, no office suite in the web process), CSS paged
media (A4 page boxes, running headers, ``counter(page)``, PDF bookmarks from headings, table
header rows repeated on every page, rows that do not split), inline SVG drawn as vector
graphics, and fonts embedded as subsets (the Korean text is set in Noto Sans CJK KR, Debian
``fonts-noto-cjk``).

**Laid out in parts.** WeasyPrint keeps the boxes of every page of a document in memory until
it writes the PDF: a 300-indicator city's report, laid out as one document, peaked at ~525 MB.
So each chapter is laid out and written as a document of its own (only one chapter's boxes are
alive at a time), its first page numbered where the previous chapter ended; then the cover and
contents are laid out with the page numbers the chapters reported, and pypdf joins the parts.
pypdf carries each part's bookmarks (chapters, and goals under the progress chapter) and named
destinations (one per heading) into the joined file; the contents' links, written as
``vlr-report:<anchor>`` URIs because their targets are in other parts, are turned into links to
those named destinations. The one thing parts cannot print is the page total ("3 / 40"): the
footer shows the page number alone.
"""

from __future__ import annotations

import gc
import io

from django.template.loader import render_to_string

from .report_content import ReportContent

LINK = "vlr-report:"  # the contents' links before the join (a scheme no reader follows)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end early (no quote, backslash, newline or
    angle bracket passes unescaped)."""
    escaped = "".join(
        c if c.isalnum() or c in " ·-_.,()/" or ord(c) > 127 else f"\\{ord(c):x} " for c in text
    )
    return f'"{escaped}"'


def report_css(content: ReportContent) -> str:
    """The print CSS, given to WeasyPrint as a stylesheet (no <style> element in a template:
    the site's Content-Security-Policy forbids them, tests/core/test_headers.py), with the
    running header of this document."""
    css = render_to_string("vlr/report/report.css")
    return css + f"\n@page main {{ @top-left {{ content: {css_string(content.running_header)}; }} }}\n"


def _toc(content: ReportContent, pages: dict[str, int]) -> list[dict]:
    def entry(chapter):
        return {"anchor": chapter.anchor, "title": chapter.title, "page": pages.get(chapter.anchor, "")}

    return [{**entry(c), "children": [entry(g) for g in c.children]} for c in content.chapters]


def report_pdf(content: ReportContent) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    from weasyprint import CSS, HTML  # imported on use: loading its fonts costs 0.5 s at start-up

    css = CSS(string=report_css(content))

    def front(pages: dict[str, int]):
        html = render_to_string(
            "vlr/report/front.html", {"doc": content, "toc": _toc(content, pages), "link": LINK}
        )
        return HTML(string=html).render(stylesheets=[css])

    # the contents' length does not depend on its numbers: lay it out once to count its pages
    first = len(front({}).pages) + 1
    gc.collect()
    pages: dict[str, int] = {}
    parts: list[bytes] = []
    for chapter in content.chapters:
        html = render_to_string("vlr/report/chapter.html", {"doc": content, "c": chapter})
        start = CSS(string=f"@page :first {{ counter-reset: page {first} }}")
        document = HTML(string=html).render(stylesheets=[css, start])
        for number, page in enumerate(document.pages, start=first):
            for anchor in page.anchors:
                pages.setdefault(anchor, number)
        first += len(document.pages)
        parts.append(document.write_pdf())
        del document
        gc.collect()  # the boxes hold reference cycles: free them before the next chapter
    parts.insert(0, front(pages).write_pdf(custom_metadata=True))

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata(PdfReader(io.BytesIO(parts[0])).metadata)
    for page in writer.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            action = annot.get("/A")
            if action and str(action.get("/URI", "")).startswith(LINK):
                anchor = str(action["/URI"])[len(LINK) :]
                annot[NameObject("/A")] = DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/GoTo"),
                        NameObject("/D"): TextStringObject(anchor),
                    }
                )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
