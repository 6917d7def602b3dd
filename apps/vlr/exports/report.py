"""The report document of an edition (or of a municipality's year) as a file: one entry point
for the edition page, the API and ``export_report``."""

from __future__ import annotations

from apps.core.exceptions import ApplicationError
from apps.vlr.selectors.report import export_data

from .report_content import LANGS, report_content

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def check_choice(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ApplicationError(
            f"형식은 pdf 또는 docx입니다 / format must be pdf or docx (got {fmt!r})", code="bad_format"
        )
    if lang not in LANGS:
        raise ApplicationError(
            f"언어는 ko, en, both 중 하나입니다 / lang must be ko, en or both (got {lang!r})", code="bad_lang"
        )


def report_bytes(
    *, municipality, fmt: str, lang: str, year: int | None = None, edition=None, user=None
) -> bytes:
    """The report of ``edition`` (or of ``municipality``'s ``year``) as PDF or DOCX bytes.

    The data is :func:`export_data`'s: an approved or published edition's frozen snapshot, else
    live data, read as ``user`` may (None: an operator's command, every row)."""
    check_choice(fmt, lang)
    data = export_data(municipality=municipality, year=year, edition=edition, user=user)
    content = report_content(data, lang=lang)
    if fmt == "pdf":
        from .report_pdf import report_pdf

        return report_pdf(content)
    from .report_docx import report_docx

    return report_docx(content)


def report_filename(municipality, year: int, fmt: str, lang: str) -> str:
    return f"VLR_{municipality.code}_{year}_{lang}.{fmt}"
