"""The report document as a print-ready PDF: the content model (:mod:`.report_content`) into
HTML and CSS paged media (``vlr/report/document.html``), laid out by WeasyPrint.

Why WeasyPrint: a pure pip install (no browser, no office suite in the web process), CSS paged
media (A4 page boxes, running headers, ``counter(page)``, ``target-counter`` for the table of
contents, PDF bookmarks from headings, table header rows repeated on every page, rows that do
not split), inline SVG drawn as vector graphics, and fonts embedded as subsets (the Korean text
is set in Noto Sans CJK KR, Debian ``fonts-noto-cjk``).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from .report_content import ReportContent


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end early (no quote, backslash, newline or
    angle bracket passes unescaped)."""
    escaped = "".join(
        c if c.isalnum() or c in " ·-_.,()/" or ord(c) > 127 else f"\\{ord(c):x} " for c in text
    )
    return f'"{escaped}"'


def report_html(content: ReportContent) -> str:
    """The document as one HTML page (what the PDF is laid out from, with :func:`report_css`)."""
    return render_to_string("vlr/report/document.html", {"doc": content})


def report_css(content: ReportContent) -> str:
    """The print CSS, given to WeasyPrint as a stylesheet (no <style> element in a template:
    the site's Content-Security-Policy forbids them, tests/core/test_headers.py), with the
    running header of this document."""
    css = render_to_string("vlr/report/report.css")
    return css + f"\n@page main {{ @top-left {{ content: {css_string(content.running_header)}; }} }}\n"


def report_pdf(content: ReportContent) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: loading its fonts costs 0.5 s at start-up

    return HTML(string=report_html(content)).write_pdf(
        stylesheets=[CSS(string=report_css(content))], custom_metadata=True
    )
