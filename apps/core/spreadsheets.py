"""Reading a spreadsheet a person uploads: xlsx or csv, size-limited, header-matched.

Used by the importers of :mod:`apps.indicators.services`. The file type is read from the
content, not the name: an xlsx is a zip with ``xl/workbook.xml``; an old ``.xls`` or an
encrypted workbook is refused with a clear message; anything else must decode as text
(UTF-8, UTF-16 with BOM, or CP949 — what Korean Excel writes when saving as CSV) without NUL
bytes. xlsx rows are streamed with openpyxl (read-only, cached values of formulas); csv is
parsed with pandas (every cell as text, nothing guessed).

Row numbers are those a person sees in a spreadsheet program: the header is usually row 1 and
the first data row row 2 (blank rows count).
"""
from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from openpyxl.utils import get_column_letter

from apps.core.exceptions import ApplicationError

from .layout import Column, header_lookup, normalise_header

HEADER_SEARCH_ROWS = 10


class SpreadsheetError(ApplicationError):
    """The file cannot be read as a spreadsheet (type, size, encoding, layout)."""

    default_code = "bad_spreadsheet"


@dataclass
class Table:
    """A header-matched table: ``columns`` maps a column key to its 0-based index."""

    columns: dict[str, int]
    letters: dict[str, str]
    header_row: int
    rows: Iterator[tuple[int, tuple]]  # (spreadsheet row number, values)
    sheet: str | None = None
    ignored: list[str] = field(default_factory=list)

    def where(self, key: str) -> str:
        """``K (value)`` — how an error names a column."""
        return f"{self.letters[key]} ({key})" if key in self.letters else key


def _max_bytes() -> int:
    return int(getattr(settings, "MAX_SPREADSHEET_BYTES", 20 * 1024 * 1024))


def read_bytes(file) -> tuple[bytes, str]:
    """The content of ``file`` (a path, bytes, or a file-like object such as an upload) and a
    name for messages; refuses anything over ``settings.MAX_SPREADSHEET_BYTES``."""
    limit = _max_bytes()
    too_big = SpreadsheetError(
        f"파일이 너무 큽니다 (최대 {limit // (1024 * 1024)} MB) / file is too large (limit {limit:,} bytes)",
        code="file_too_large",
    )
    if isinstance(file, (bytes, bytearray, memoryview)):
        if len(file) > limit:
            raise too_big
        return bytes(file), "upload"
    if isinstance(file, (str, Path)):
        path = Path(file)
        if not path.is_file():
            raise SpreadsheetError(f"파일이 없습니다 / no such file: {path}", code="no_file")
        if path.stat().st_size > limit:
            raise too_big
        return path.read_bytes(), path.name
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_big
    if hasattr(file, "seek"):
        try:
            file.seek(0)
        except (OSError, ValueError):
            pass
    content = file.read(limit + 1)
    if len(content) > limit:
        raise too_big
    return content, os.path.basename(getattr(file, "name", "") or "upload")


def detect_kind(content: bytes) -> str:
    """``"xlsx"`` or ``"csv"``, from the bytes; raises SpreadsheetError otherwise."""
    if not content.strip():
        raise SpreadsheetError("빈 파일입니다 / the file is empty", code="empty_file")
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise SpreadsheetError(
            "xlsx 통합 문서가 아닌 zip 파일입니다 (.ods 등은 xlsx로 저장하세요) / "
            "a zip file that is not an xlsx workbook (save .ods and others as .xlsx)",
            code="wrong_file_type",
        )
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError(
            "예전 .xls 형식이거나 암호가 걸린 파일입니다. 암호 없이 .xlsx 또는 .csv로 저장하세요 / "
            "an old .xls or a password-protected workbook: save it without a password as .xlsx or .csv",
            code="wrong_file_type",
        )
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"
    if b"\x00" in content[:65536]:
        raise SpreadsheetError(
            "xlsx나 csv 파일이 아닙니다 / not an xlsx or csv file", code="wrong_file_type"
        )
    return "csv"


def decode_text(content: bytes) -> str:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return content.decode("utf-16")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        "문자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장하세요) / "
        "unknown text encoding: save the csv as UTF-8 or CP949",
        code="bad_encoding",
    )


def _match_header(values, lookup: dict[str, Column]) -> tuple[dict[str, int], list[str], list[str]]:
    """Column key → index for the recognised headers; duplicates and ignored headers."""
    columns: dict[str, int] = {}
    duplicates, ignored = [], []
    for index, value in enumerate(values):
        if value is None or str(value).strip() == "":
            continue
        col = lookup.get(normalise_header(value))
        if col is None:
            ignored.append(str(value))
        elif col.key in columns:
            duplicates.append(col.key)
        else:
            columns[col.key] = index
    return columns, duplicates, ignored


def _header(rows_iter, columns_spec: tuple[Column, ...]) -> tuple[int, dict[str, int], list[str], list[tuple]]:
    """Find the header among the first rows: the first row where every required column is
    recognised (else the row recognising most columns, to report what is missing)."""
    lookup = header_lookup(columns_spec)
    required = {c.key for c in columns_spec if c.required}
    best = (0, 0, {}, [], [])  # (score, row_number, columns, duplicates, ignored)
    consumed: list[tuple] = []
    for row_number, values in rows_iter:
        consumed.append((row_number, values))
        columns, duplicates, ignored = _match_header(values, lookup)
        if required <= set(columns):
            if duplicates:
                raise SpreadsheetError(
                    f"row {row_number}, column {duplicates[0]}: 같은 열이 두 번 있습니다 / the column appears twice",
                    code="duplicate_column", extra={"errors": [f"row {row_number}, column {d}: duplicate column" for d in duplicates]},
                )
            return row_number, columns, ignored, consumed
        if len(columns) > best[0]:
            best = (len(columns), row_number, columns, duplicates, ignored)
        if len(consumed) >= HEADER_SEARCH_ROWS:
            break
    row_number = best[1] or 1
    missing = sorted(required - set(best[2]), key=[c.key for c in columns_spec].index)
    errors = [f"row {row_number}, column {key}: 필수 열이 없습니다 / required column is missing" for key in missing]
    raise SpreadsheetError("; ".join(errors), code="missing_column", extra={"errors": errors})


def _xlsx_rows(content: bytes, preferred_sheet: str | None, columns_spec) -> tuple[str, Iterator]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise SpreadsheetError(
            f"xlsx 파일을 읽을 수 없습니다 / cannot read the xlsx file: {exc}", code="bad_xlsx"
        ) from exc
    names = wb.sheetnames
    order = ([preferred_sheet] if preferred_sheet in names else []) + [n for n in names if n != preferred_sheet]
    lookup = header_lookup(columns_spec)
    required = {c.key for c in columns_spec if c.required}
    chosen = None
    if len(order) == 1:
        chosen = order[0]
    else:
        for name in order:
            ws = wb[name]
            ws.reset_dimensions()
            for _i, values in zip(range(HEADER_SEARCH_ROWS), ws.iter_rows(values_only=True)):
                if required <= set(_match_header(values, lookup)[0]):
                    chosen = name
                    break
            if chosen:
                break
        chosen = chosen or order[0]
    ws = wb[chosen]
    ws.reset_dimensions()  # trust the cells, not a possibly wrong <dimension> element

    def rows():
        try:
            yield from enumerate(ws.iter_rows(values_only=True), start=1)
        finally:
            wb.close()

    return chosen, rows()


def _csv_rows(content: bytes) -> Iterator:
    import pandas as pd

    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "\t" in first_line and "," not in first_line:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(","):
        delimiter = ";"
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, header=None,
            skip_blank_lines=False, engine="c",
        )
    except Exception as exc:  # pandas.errors.ParserError and friends
        raise SpreadsheetError(f"csv 파일을 읽을 수 없습니다 / cannot read the csv file: {exc}", code="bad_csv") from exc
    frame = frame.fillna("")  # blank lines come back as NaN even with keep_default_na=False
    return enumerate(frame.itertuples(index=False, name=None), start=1)


def read_table(file, columns_spec: tuple[Column, ...], *, preferred_sheet: str | None = None) -> tuple[Table, str]:
    """Open ``file`` and locate its header; returns the table (rows streamed) and a file name."""
    content, name = read_bytes(file)
    kind = detect_kind(content)
    sheet = None
    if kind == "xlsx":
        sheet, rows = _xlsx_rows(content, preferred_sheet, columns_spec)
    else:
        rows = _csv_rows(content)
    rows = iter(rows)
    header_row, columns, ignored, consumed = _header(rows, columns_spec)
    letters = {key: get_column_letter(index + 1) for key, index in columns.items()}

    def data_rows():
        for row_number, values in consumed:
            if row_number > header_row:
                yield row_number, values
        yield from rows

    return Table(columns=columns, letters=letters, header_row=header_row, rows=data_rows(), sheet=sheet,
                 ignored=ignored), name
