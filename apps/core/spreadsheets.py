"""Reading a spreadsheet a person uploads: xlsx or csv, size-limited, header-matched.

Used by the importers of :mod:`apps.indicators.services`. The file type is read from the
content, not the name: an xlsx is a zip with ``xl/workbook.xml``; an old ``.xls`` or an
encrypted workbook is refused with a clear message; anything else must decode as text
(UTF-8, UTF-16 with BOM, or CP949 — what Korean Excel writes when saving as CSV) without NUL
bytes. xlsx rows are streamed with openpyxl (read-only, cached values of formulas); csv is
parsed with pandas (every cell as text, nothing guessed).

Limits (settings, env-driven) count what is actually decompressed and read, so a small file
cannot make the server parse gigabytes: ``MAX_SPREADSHEET_BYTES`` (the file as uploaded),
``MAX_SPREADSHEET_UNCOMPRESSED_BYTES`` (an xlsx's zip members: the sizes they declare are summed
before anything is decompressed, then every member is decompressed in 1 MB chunks and the bytes
counted, before openpyxl parses anything; the same pass refuses a text run longer than a cell may
be and counts each worksheet's rows), ``MAX_SPREADSHEET_ROWS`` (by spreadsheet row number, checked while rows stream, so reading
stops at the limit) and ``MAX_SPREADSHEET_CELL_CHARS``. Messages never echo a long cell
(:func:`shown`).

Row numbers are those a person sees in a spreadsheet program: the header is usually row 1 and
the first data row row 2 (blank rows count).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from openpyxl.utils import get_column_letter

from apps.core.exceptions import ApplicationError

from .layout import Column, header_lookup, normalise_header

HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 1000  # a row wider than this is a stray cell far to the right, not data
_CHUNK = 1024 * 1024
SHOWN_CHARS = 60  # how much of a cell value an error message repeats


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


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def clip(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text a message repeats, cut to ``limit`` characters (a cell may hold 32,767)."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,}자 / characters)"


def shown(value, limit: int = SHOWN_CHARS) -> str:
    """A cell value as an error message shows it: dates as 2024-01-31 (with the time only when
    there is one), text quoted and cut to ``limit`` characters with its length."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, str):
        return (
            repr(value) if len(value) <= limit else repr(value[:limit]) + f"… ({len(value):,}자 / characters)"
        )
    return str(value)


def _too_big_uncompressed(limit: int, what: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"압축을 푼 크기가 너무 큽니다 ({what}; 최대 {limit:,} 바이트, MAX_SPREADSHEET_UNCOMPRESSED_BYTES) / "
        f"the workbook is too large once decompressed ({what}; limit {limit:,} bytes, "
        "MAX_SPREADSHEET_UNCOMPRESSED_BYTES)",
        code="file_too_large",
    )


def _cell_too_long(where: str, length: str, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"{where}: 셀 내용이 너무 깁니다 ({length}; 최대 {limit:,}자, MAX_SPREADSHEET_CELL_CHARS) / "
        f"cell too long ({length}; limit {limit:,} characters, MAX_SPREADSHEET_CELL_CHARS)",
        code="cell_too_long",
    )


def check_xlsx_size(content: bytes) -> None:
    """Refuse a workbook whose zip members decompress to more than
    ``MAX_SPREADSHEET_UNCOMPRESSED_BYTES`` or hold a text run longer than any allowed cell,
    before openpyxl parses it (openpyxl holds a whole cell, and every shared string, in memory).

    First the sizes the members declare (no decompression); then each member is decompressed in
    1 MB chunks, counting the bytes really produced, and the longest run between two ``<`` is
    measured (numpy, ~0.2 s per 100 MB) and the row elements of each worksheet counted. A cell's XML text may take up to 10 bytes a character
    (openpyxl writes ``&#44032;`` for 가), so runs above 10 × ``MAX_SPREADSHEET_CELL_CHARS`` bytes are refused; the exact
    character count is checked again on the parsed values.
    """
    import numpy as np

    limit = _limit("MAX_SPREADSHEET_UNCOMPRESSED_BYTES", 160 * 1024 * 1024)
    max_run = 10 * _limit("MAX_SPREADSHEET_CELL_CHARS", 32_767) + 256
    max_rows = _limit("MAX_SPREADSHEET_ROWS", 200_000)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            if declared > limit:
                raise _too_big_uncompressed(limit, f"{declared:,} bytes declared")
            total = 0
            for info in infos:
                run = 0  # bytes since the last "<", carried across chunks
                # Row elements of a worksheet, counted here because openpyxl parses a whole sheet
                # that lacks a <dimension> element once on opening (a 2-million-row sheet: minutes).
                is_sheet = info.filename.startswith("xl/worksheets/")
                rows, tail = 0, b""
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise _too_big_uncompressed(limit, f"more than {limit:,} bytes read")
                        if is_sheet:
                            window = tail + chunk
                            rows += window.count(b"<row") + window.count(b":row ") + window.count(b":row>")
                            tail = chunk[-4:]
                            if rows > max_rows:
                                raise _too_many_rows(
                                    max_rows, f"{info.filename}: more than {max_rows:,} rows"
                                )
                        marks = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 0x3C)
                        if marks.size:
                            longest = max(
                                run + int(marks[0]), int(np.diff(marks).max()) if marks.size > 1 else 0
                            )
                            run = len(chunk) - int(marks[-1]) - 1
                        else:
                            longest = run = run + len(chunk)
                        if max(longest, run) > max_run:
                            raise _cell_too_long(
                                info.filename,
                                f"more than {max_run:,} bytes of text",
                                _limit("MAX_SPREADSHEET_CELL_CHARS", 32_767),
                            )
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise SpreadsheetError(
            f"xlsx 파일을 읽을 수 없습니다 / cannot read the xlsx file: {shown(str(exc))}", code="bad_xlsx"
        ) from exc


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
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
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
        raise SpreadsheetError("xlsx나 csv 파일이 아닙니다 / not an xlsx or csv file", code="wrong_file_type")
    return "csv"


def decode_text(content: bytes) -> str:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:  # e.g. a lone surrogate, an odd byte count
            raise SpreadsheetError(
                f"UTF-16 파일의 {exc.start:,}번째 바이트를 읽을 수 없습니다 (깨진 문자) / the UTF-16 file has "
                f"a broken character at byte {exc.start:,}: {exc.reason}",
                code="bad_encoding",
            ) from exc
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
            ignored.append(clip(str(value)))
        elif col.key in columns:
            duplicates.append(col.key)
        else:
            columns[col.key] = index
    return columns, duplicates, ignored


def _header(
    rows_iter, columns_spec: tuple[Column, ...]
) -> tuple[int, dict[str, int], list[str], list[tuple]]:
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
                    code="duplicate_column",
                    extra={"errors": [f"row {row_number}, column {d}: duplicate column" for d in duplicates]},
                )
            return row_number, columns, ignored, consumed
        if len(columns) > best[0] or not best[1]:
            best = (len(columns), row_number, columns, duplicates, ignored)
        if len(consumed) >= HEADER_SEARCH_ROWS:
            break
    row_number = best[1] or 1
    missing = sorted(required - set(best[2]), key=[c.key for c in columns_spec].index)
    errors = [
        f"row {row_number}, column {key}: 필수 열이 없습니다 / required column is missing" for key in missing
    ]
    # The headline says what is wrong once; the lines name each column. The headers that were
    # not recognised are often the real cause (a typo, another language), so they are listed.
    message = "파일에 필수 열이 없습니다 / the file lacks a required column"
    if best[4]:
        message += f" — {ignored_columns_note(best[4])}"
    raise SpreadsheetError(
        message, code="missing_column", extra={"errors": errors, "ignored_columns": best[4]}
    )


def ignored_columns_note(ignored: list[str]) -> str:
    names = ", ".join(repr(name) for name in ignored[:20]) + (
        f" … (+{len(ignored) - 20})" if len(ignored) > 20 else ""
    )
    return f"인식하지 못해 무시한 열 / columns not recognised and ignored: {names}"


def open_workbook(content: bytes):
    """``openpyxl.load_workbook(read_only=True, data_only=True)``, without its size scan and
    with plain inline strings read directly.

    On opening, openpyxl's read-only reader looks for each sheet's ``<dimension>`` element and,
    when a sheet has none — openpyxl's own write-only output, hence every VLR workbook this app
    exports — parses the whole sheet to find its size: every sheet of the workbook, before one row
    is read. The importer ignores dimensions anyway (``reset_dimensions``: a stated size may be
    wrong), so its sheets skip that scan and only the chosen sheet is parsed, once.

    A write-only workbook also stores every text as an inline string (``<is><t>…</t></is>``),
    which openpyxl reads through its rich-text classes (``Text.from_tree``): a third of the time
    of reading an exported annex. A cell whose inline string is one plain ``<t>`` gets that text
    directly (what ``Text.content`` returns for it); rich text and anything else take openpyxl's
    way (``SPREADSHEET_FAST_PATHS=0``: always openpyxl's). Uses ``ExcelReader``, the class behind ``load_workbook``, ``ReadOnlyWorksheet`` and
    ``WorkSheetParser`` (openpyxl 3.1, pinned in requirements.txt; ``_cells_by_row`` is
    openpyxl's, with the parser swapped); tests read workbooks both ways and compare.
    """
    from openpyxl.cell.read_only import EMPTY_CELL
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag = f"{{{SHEET_MAIN_NS}}}t"
    fast = settings.SPREADSHEET_FAST_PATHS  # 0: every inline string the way openpyxl reads it

    class _Parser(WorkSheetParser):
        def parse_cell(self, element):
            inline = element.find(INLINE_STRING) if fast and element.get("t") == "inlineStr" else None
            if inline is None or len(inline) != 1 or inline[0].tag != text_tag or self.rich_text:
                return super().parse_cell(element)
            element.remove(inline)  # position and style read as openpyxl reads them
            cell = super().parse_cell(element)
            cell["value"], cell["data_type"] = inline[0].text or "", "s"
            return cell

    class _Sheet(ReadOnlyWorksheet):
        def _get_size(self):  # the size scan; dimensions stay unknown, as after reset_dimensions()
            pass

        def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
            # openpyxl 3.1's ReadOnlyWorksheet._cells_by_row, reading with _Parser.
            filler = None if values_only else EMPTY_CELL
            max_col = max_col or self.max_column
            max_row = max_row or self.max_row
            empty_row = (filler,) * (max_col + 1 - min_col) if max_col is not None else []
            counter, idx = min_row, 1
            with self._get_source() as src:
                parser = _Parser(
                    src,
                    self._shared_strings,
                    data_only=self.parent.data_only,
                    epoch=self.parent.epoch,
                    date_formats=self.parent._date_formats,
                    timedelta_formats=self.parent._timedelta_formats,
                )
                for idx, row in parser.parse():
                    if max_row is not None and idx > max_row:
                        break
                    for _ in range(counter, idx):  # rows missing from the file
                        counter += 1
                        yield empty_row
                    if counter <= idx:
                        counter += 1
                        yield self._get_row(row, min_col, max_col, values_only)
            if max_row is not None and max_row < idx:
                for _ in range(counter, max_row + 1):
                    yield empty_row

    class _Reader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue
                ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)

    reader = _Reader(io.BytesIO(content), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _xlsx_rows(content: bytes, preferred_sheet: str | None, columns_spec) -> tuple[str, Iterator]:
    check_xlsx_size(content)
    try:
        wb = open_workbook(content)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise SpreadsheetError(
            f"xlsx 파일을 읽을 수 없습니다 / cannot read the xlsx file: {shown(str(exc))}", code="bad_xlsx"
        ) from exc
    names = wb.sheetnames
    order = ([preferred_sheet] if preferred_sheet in names else []) + [
        n for n in names if n != preferred_sheet
    ]
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
    # Count lines before pandas builds a row for each (quoted line breaks count too, so a file
    # with long multi-line notes meets the limit a little early).
    _check_row_number(text.count("\n") + (not text.endswith("\n")))
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "\t" in first_line and "," not in first_line:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(","):
        delimiter = ";"
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            header=None,
            skip_blank_lines=False,
            engine="c",
        )
    except Exception as exc:  # pandas.errors.ParserError and friends
        raise SpreadsheetError(
            f"csv 파일을 읽을 수 없습니다 / cannot read the csv file: {shown(str(exc))}", code="bad_csv"
        ) from exc
    frame = frame.fillna("")  # blank lines come back as NaN even with keep_default_na=False
    return enumerate(frame.itertuples(index=False, name=None), start=1)


def _too_many_rows(limit: int, what: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"행이 너무 많습니다 ({what}; 최대 {limit:,}행, MAX_SPREADSHEET_ROWS) / too many rows "
        f"({what}; limit {limit:,}, MAX_SPREADSHEET_ROWS)",
        code="too_many_rows",
    )


def _check_row_number(row_number: int) -> None:
    limit = _limit("MAX_SPREADSHEET_ROWS", 200_000)
    if row_number > limit:
        raise _too_many_rows(limit, f"reading stopped at row {row_number:,}")


def read_table(
    file, columns_spec: tuple[Column, ...], *, preferred_sheet: str | None = None
) -> tuple[Table, str]:
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

    max_chars = _limit("MAX_SPREADSHEET_CELL_CHARS", 32_767)
    # Rows are cut after the last recognised column: the importer keeps every row until it has
    # checked them all, and a stray cell far to the right would make each row that wide.
    width = max(columns.values()) + 1

    def data_rows():
        for row_number, values in itertools.chain(consumed, rows):
            if row_number <= header_row:
                continue
            _check_row_number(row_number)
            if len(values) > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"row {row_number}: 열이 너무 많습니다 ({len(values):,}열, 최대 {MAX_COLUMNS:,}열) / "
                    f"too many columns ({len(values):,}; limit {MAX_COLUMNS:,})",
                    code="too_many_columns",
                )
            values = values[:width]
            for index, value in enumerate(values):
                if type(value) is str and len(value) > max_chars:
                    raise _cell_too_long(
                        f"row {row_number}, column {get_column_letter(index + 1)}",
                        f"{len(value):,}자 / characters",
                        max_chars,
                    )
            yield row_number, values

    return Table(
        columns=columns,
        letters=letters,
        header_row=header_row,
        rows=data_rows(),
        sheet=sheet,
        ignored=ignored,
    ), name


# ------------------------------------------------------------------------------ whole grids
# Tables as cities keep them (a KOSIS download: wide, multi-row headers, merged cells) are read
# whole, as a grid, and their layout detected by :mod:`apps.core.tables`. Such tables are small
# (a few hundred regions × a few dozen periods); the same limits apply as for streamed tables.


@dataclass
class Grid:
    """Every row of one sheet (row 1 first, cut after the last non-blank cell), merged ranges
    filled with their top-left value."""

    name: str
    sheet: str | None
    rows: list[tuple]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 1-based


# A grid is held whole (its layout is read from all of it), so its cells are counted: a wide
# table of a few hundred regions × a few dozen periods is far below; the streamed annex import
# is the way for larger files.
MAX_GRID_CELLS = 2_000_000


def _too_many_cells() -> SpreadsheetError:
    return SpreadsheetError(
        f"표가 너무 큽니다 (셀 {MAX_GRID_CELLS:,}개 초과). 통계 부록 형식으로 가져오세요 / the table is too large "
        f"(more than {MAX_GRID_CELLS:,} cells); import it in the statistical-annex layout",
        code="too_many_cells",
    )


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def _merged_ranges(content: bytes, worksheet_path: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet, read from its XML (openpyxl's read-only sheets skip them)."""
    from openpyxl.utils import column_index_from_string

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        try:
            xml = archive.read(worksheet_path.lstrip("/"))
        except KeyError:
            return []
    return [
        (int(r1), column_index_from_string(c1.decode()), int(r2), column_index_from_string(c2.decode()))
        for c1, r1, c2, r2 in _MERGE.findall(xml)
    ]


def read_grid(file, *, sheet: str | None = None) -> Grid:
    """The whole first sheet (or ``sheet``) of an xlsx, or a csv, as a :class:`Grid`."""
    content, name = read_bytes(file)
    max_chars = _limit("MAX_SPREADSHEET_CELL_CHARS", 32_767)
    merged: list[tuple[int, int, int, int]] = []
    chosen = None
    if detect_kind(content) == "xlsx":
        check_xlsx_size(content)
        try:
            wb = open_workbook(content)
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise SpreadsheetError(
                f"xlsx 파일을 읽을 수 없습니다 / cannot read the xlsx file: {shown(str(exc))}",
                code="bad_xlsx",
            ) from exc
        try:
            if sheet is not None and sheet not in wb.sheetnames:
                raise SpreadsheetError(
                    f"시트가 없습니다 / no such sheet: {shown(sheet)} ({', '.join(wb.sheetnames)})",
                    code="no_sheet",
                )
            chosen = sheet or next(
                (ws.title for ws in wb.worksheets if ws.sheet_state == "visible"), wb.sheetnames[0]
            )
            ws = wb[chosen]
            ws.reset_dimensions()
            raw = list(enumerate(ws.iter_rows(values_only=True), start=1))
            merged = _merged_ranges(content, ws._worksheet_path)
        finally:
            wb.close()
    else:
        raw = list(_csv_rows(content))
    rows: list[list] = []
    cells = 0
    for row_number, values in raw:
        _check_row_number(row_number)
        values = list(values)
        while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise SpreadsheetError(
                f"row {row_number}: 열이 너무 많습니다 ({len(values):,}열, 최대 {MAX_COLUMNS:,}열) / "
                f"too many columns ({len(values):,}; limit {MAX_COLUMNS:,})",
                code="too_many_columns",
            )
        for index, value in enumerate(values):
            if type(value) is str and len(value) > max_chars:
                raise _cell_too_long(
                    f"row {row_number}, column {get_column_letter(index + 1)}",
                    f"{len(value):,}자 / characters",
                    max_chars,
                )
        cells += len(values)
        if cells > MAX_GRID_CELLS:
            raise _too_many_cells()
        rows.append(values)
    filled = 0
    for r1, c1, r2, c2 in merged:
        if r1 > len(rows) or c2 > MAX_COLUMNS or r2 < r1 or c2 < c1:
            continue
        filled += (min(r2, len(rows)) - r1 + 1) * (c2 - c1 + 1)  # overlapping merges count again
        if filled > MAX_GRID_CELLS:
            raise _too_many_cells()
        top_left = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else None
        for r in range(r1, min(r2, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < c2:
                cells += c2 - len(row)
                if cells > MAX_GRID_CELLS:
                    raise _too_many_cells()
                row.extend([None] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                row[c - 1] = top_left
    return Grid(name=name, sheet=chosen, rows=[tuple(r) for r in rows], merged=merged)
