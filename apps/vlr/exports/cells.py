"""The one formula-safe cell writer of every spreadsheet export, and its styles.

Text that begins with ``=``, ``+``, ``-``, ``@``, tab or CR could be taken for a formula (or, for
``#N/A`` and friends, an error value). Such text is written

- as a *string cell* (``t="inlineStr"``): spreadsheets never evaluate a string cell, and
- with the cell style's ``quotePrefix`` flag: the same flag Excel and LibreOffice set when a user
  types a leading apostrophe, so the cell stays text even when someone edits it later.

The text itself is written unchanged — no apostrophe, no zero-width character, no space — so it
reads back byte for byte with openpyxl and ``pandas.read_excel``; the statistical annex
therefore round-trips through :func:`apps.indicators.services.observations_import`.

Two things a worksheet cannot hold are changed, and only they: XML-illegal control characters
(U+0000–U+001F except tab, LF and CR) are removed, and text longer than Excel's 32,767-character
cell limit is cut there.

Everything else is written as a plain value: numbers as numbers (NaN/inf as empty cells; a
float that openpyxl's 16-digit formatting would alter is written with its exact repr), dates
and datetimes as dates (naive), booleans as booleans, ``None`` and ``""`` as empty cells. A plain
value costs no more than in a bare ``append`` loop; only styled, hyperlinked or dangerous values
become :class:`~openpyxl.cell.WriteOnlyCell` objects.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from lxml import etree
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_CELL_CHARS = 32767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ERROR_CODES = frozenset(ERROR_CODES)


def clean_text(text: str) -> str:
    """Remove the characters a worksheet cannot store and cut at Excel's cell limit."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:EXCEL_MAX_CELL_CHARS]


def needs_text_guard(text: str) -> bool:
    """True for text a spreadsheet could read as a formula or an error value."""
    return text.startswith(FORMULA_PREFIXES) or text in _ERROR_CODES


def _solid(hex_colour: str) -> PatternFill:
    rgb = hex_colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


_THIN = Side(style="thin", color="BFBFBF")


class Styles:
    """Named styles of one workbook, prepared once; a styled cell then copies a small style
    array instead of registering fonts and fills again (this keeps styled cells cheap)."""

    def __init__(self, ws):
        self._ws = ws
        self._arrays: dict[str, StyleArray] = {}
        # Alignment ids (in the workbook's table) of the styles that wrap text: a row's height
        # is measured only for cells with one of them (SheetWriter._height).
        self.wrapping: set[int] = set()

    def define(self, name: str, **attrs) -> None:
        cell = WriteOnlyCell(self._ws)
        for key, value in attrs.items():
            setattr(cell, key, value)
        self._arrays[name] = StyleArray(cell._style)
        if cell.alignment.wrap_text:
            self.wrapping.add(cell._style.alignmentId)

    def has(self, name: str) -> bool:
        return name in self._arrays

    def apply(self, cell: Cell, name: str) -> None:
        cell._style = StyleArray(self._arrays[name])

    def colour(self, hex_colour: str, *, text: bool = False, bold: bool = True) -> str:
        """Style name for a solid fill of ``hex_colour`` with white bold text (or coloured text
        on white when ``text``), defined on first use."""
        name = f"{'text' if text else 'fill'}:{hex_colour}:{bold}"
        if name not in self._arrays:
            if text:
                self.define(name, font=Font(bold=bold, color=hex_colour.lstrip("#").upper()))
            else:
                self.define(
                    name,
                    font=Font(bold=bold, color="FFFFFF"),
                    fill=_solid(hex_colour),
                    alignment=Alignment(vertical="top"),
                )
        return name


def default_styles(ws) -> Styles:
    styles = Styles(ws)
    styles.define(
        "header",
        font=Font(bold=True),
        fill=_solid("#E7ECF2"),
        alignment=Alignment(wrap_text=True, vertical="top"),
        border=Border(bottom=_THIN),
    )
    styles.define("title", font=Font(bold=True, size=16))
    styles.define("subtitle", font=Font(bold=True, size=12))
    styles.define("bold", font=Font(bold=True))
    styles.define(
        "warning", font=Font(bold=True, color="B91C1C"), alignment=Alignment(wrap_text=True, vertical="top")
    )
    styles.define("wrap", alignment=Alignment(wrap_text=True, vertical="top"))
    styles.define("link", font=Font(color="0563C1", underline="single"))
    styles.define("percent", number_format="0.0%")
    styles.define("percent2", number_format="0.00%")
    styles.define("ratio", number_format="0.000")
    styles.define("krw", number_format="#,##0")
    styles.define("date", number_format="yyyy-mm-dd")
    styles.define("datetime", number_format="yyyy-mm-dd hh:mm")
    styles.define("text_guard", quotePrefix=True)
    return styles


POINTS_PER_LINE = 15  # row height of one line of 11-point text
MAX_ROW_HEIGHT = 409  # points: Excel's limit


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: a Hangul or CJK character is two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` characters needs for ``text`` (a rough measure that errs
    long: a row a little too tall prints everything, one too short hides the rest)."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


_QUOTE = '"'


def _escape(text: str) -> str:
    # CR as a character reference: an XML parser would turn a literal one into LF.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _plain_row(values, row_idx: int, letters: list[str], attrs: str):
    """The ``<row>`` element openpyxl 3.1 writes for ``values`` when every value is plain — text
    that is neither a formula nor an error code (``SheetWriter.value`` guards those anyway),
    a whole or finite number, a boolean or None — else None (the row then takes openpyxl's way).

    Same element as ``WriteOnlyWorksheet._values_to_row`` + ``WorksheetWriter.write_row`` +
    ``lxml_write_cell`` build: ``t="inlineStr"`` text (``xml:space="preserve"`` when it has
    outer blanks), ``t="n"`` numbers as ``%.16g``, ``t="b"`` booleans as 1/0, no empty cells;
    written as markup and parsed by lxml's C parser in one call, instead of a cell object, its
    type checks and three nested writer contexts per value."""
    parts = [f"<row {attrs}>"]
    for col, value in enumerate(values):
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            if (value.startswith("=") and len(value) > 1) or value in _ERROR_CODES or not value:
                return None
            if len(value) > EXCEL_MAX_CELL_CHARS or _ILLEGAL.search(value):
                return None  # openpyxl cuts or refuses it
            space = ' xml:space="preserve"' if value != value.strip() else ""
            parts.append(
                f'<c r="{letters[col]}{row_idx}" t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
            )
        elif kind is int or kind is float:
            if kind is float and not math.isfinite(value):
                return None
            parts.append(f'<c r="{letters[col]}{row_idx}" t="n"><v>{"%.16g" % value}</v></c>')  # noqa: UP031
        elif kind is bool:
            parts.append(f'<c r="{letters[col]}{row_idx}" t="b"><v>{1 if value else 0}</v></c>')
        elif kind is Cell:
            cell = _styled_cell(value, f"{letters[col]}{row_idx}")
            if cell is None:
                return None
            parts.append(cell)
        else:
            return None
    if len(parts) == 1:
        return None  # openpyxl writes an empty row as <row></row>, not <row/>
    parts.append("</row>")
    try:
        return etree.fromstring("".join(parts))
    except (etree.XMLSyntaxError, ValueError):  # e.g. a lone surrogate: openpyxl's way decides
        return None


def _styled_cell(cell: Cell, ref: str) -> str | None:
    """Markup of a cell object holding a styled text or number with no link or comment (as
    ``lxml_write_cell`` writes it), else None. Its style id is taken here, as openpyxl takes it
    when writing, so the workbook's style table fills in the same order."""
    value, kind = cell._value, cell.data_type
    if cell.hyperlink is not None or cell._comment is not None or value is None or value == "":
        return None
    if kind == "s" and type(value) is str:
        space = ' xml:space="preserve"' if value != value.strip() else ""
        content = f"<is><t{space}>{_escape(value)}</t></is>"
        kind = "inlineStr"
    elif kind == "n" and type(value) in (int, float, str):
        if type(value) is float and not math.isfinite(value):
            return None
        content = f"<v>{_escape(value) if type(value) is str else '%.16g' % value}</v>"  # noqa: UP031
    else:
        return None  # dates, booleans, formulas, errors: openpyxl's way
    style = f' s="{cell.style_id}"' if cell.has_style else ""
    return f'<c r="{ref}"{style} t="{kind}">{content}</c>'


def _write_rows(ws):
    """openpyxl 3.1's ``WriteOnlyWorksheet._write_rows`` (the generator ``append`` feeds), with
    each all-plain row built by :func:`_plain_row` in one go instead of a cell object, its
    type checks and three nested writer contexts per value: the bulk of a large annex, written
    in about half the time. Any other row (styled, hyperlinked, guarded or dated cells) is
    written by openpyxl itself. Off with ``SPREADSHEET_FAST_PATHS=0``; a test compares the
    bytes both ways."""
    try:
        xf = ws._writer.xf.send(True)
    except StopIteration:
        ws._already_saved()
    letters: list[str] = []
    dims = ws.row_dimensions
    with xf.element("sheetData"):
        row_idx = 1
        try:
            while True:
                values = yield
                while isinstance(values, list) and len(letters) < len(values):
                    letters.append(get_column_letter(len(letters) + 1))
                attrs = {"r": f"{row_idx}"}
                attrs.update(dims.get(row_idx, {}))
                markup = " ".join(
                    f'{key}="{_escape(value).replace(_QUOTE, "&quot;")}"' for key, value in attrs.items()
                )
                row = _plain_row(values, row_idx, letters, markup) if isinstance(values, list) else None
                if row is None:
                    ws._writer.write_row(xf, ws._values_to_row(values, row_idx), row_idx)
                else:
                    xf.write(row)
                row_idx += 1
        except GeneratorExit:
            pass
    ws._writer.xf.send(None)


class SheetWriter:
    """Appends rows to one write-only worksheet through the formula-safe writer.

    ``value(v)`` returns what to append for a plain value; ``styled(v, style)`` and
    ``link(v, target)`` wrap a value in a cell. Column widths, frozen panes and the autofilter
    are set here (widths must be known before the first row in write-only mode).

    Every sheet prints: A4 landscape, fitted to the page width (never cut into vertical strips),
    its header row repeated on each page, "page / pages" in the footer and the sheet's name in
    the header; a row with wrapped text gets the height its longest cell needs, since neither
    LibreOffice nor Excel grows a row that a streamed file leaves at the default height.
    """

    def __init__(
        self,
        wb,
        title: str,
        styles: Styles,
        *,
        widths: Iterable[float] = (),
        freeze: str | None = None,
        size: tuple[int, int] | None = None,
        buffered: bool = False,
    ):
        self.ws = wb.create_sheet(title)
        if settings.SPREADSHEET_FAST_PATHS:
            self.ws._write_rows = lambda: _write_rows(self.ws)  # read by the sheet's append()
        self.title = title
        self.styles = styles
        self.rows = 0
        self.max_col = 0
        self._buffer: list[list] | None = [] if buffered else None
        self.widths = list(widths)
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self._print_setup()
        if freeze:
            self.ws.freeze_panes = freeze
        if size:
            self.set_size(*size)

    def _print_setup(self) -> None:
        ws = self.ws
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddHeader.left.text = "&A"  # the sheet's name
        ws.oddHeader.left.size = 8
        ws.oddFooter.center.text = "&P / &N"
        ws.oddFooter.center.size = 8

    def _height(self, cells: list) -> float | None:
        """The row height its wrapped cells need (None: the default height shows them whole)."""
        lines = 1
        wrapping = self.styles.wrapping
        for index, cell in enumerate(cells[: len(self.widths)]):
            style = cell._style if isinstance(cell, Cell) else None  # None: never styled
            if style is None or style.alignmentId not in wrapping:
                continue
            if isinstance(cell._value, str):
                lines = max(lines, wrapped_lines(cell._value, self.widths[index]))
        return min(MAX_ROW_HEIGHT, lines * POINTS_PER_LINE) if lines > 1 else None

    def set_size(self, rows: int, cols: int) -> None:
        """Declare the sheet's extent before the first row. A write-only sheet has no
        ``<dimension>`` element otherwise, and readers (openpyxl read-only, hence pandas) then
        scan the whole sheet once just to size it — for every sheet, at every load."""
        ref = f"A1:{get_column_letter(max(cols, 1))}{max(rows, 1)}"
        self.ws.calculate_dimension = lambda: ref

    # -- values --------------------------------------------------------------------------------
    def value(self, value):
        """The formula-safe form of ``value`` (a plain value, or a guarded text cell)."""
        if value is None:
            return None
        kind = type(value)
        if kind is str:
            if not value:
                return None
            value = clean_text(value)
            if needs_text_guard(value):
                return self._guarded(value)
            return value
        if kind is float:
            if not math.isfinite(value):
                return None
            # openpyxl writes floats with 16 significant digits; the 1 in ~10 doubles that need
            # 17 to read back identically get their exact shortest repr instead.
            if float(f"{value:.16g}") != value:  # openpyxl writes "%.16g"
                return self._exact_number(value)
            return value
        if kind in (int, bool, date, datetime):
            return value
        if isinstance(value, str):
            return self.value(str(value))
        if isinstance(value, float):
            return self.value(float(value))
        if isinstance(value, (int, date)):
            return value
        return self.value(str(value))

    def _exact_number(self, number: float) -> Cell:
        cell = WriteOnlyCell(self.ws)
        cell._value = repr(number)  # written verbatim into <v>; still a number cell (t="n")
        cell.data_type = "n"
        return cell

    def _guarded(self, text: str, style: str | None = None) -> Cell:
        cell = WriteOnlyCell(self.ws)
        cell._value = text
        cell.data_type = "s"  # a string cell: never evaluated
        self.styles.apply(cell, style or "text_guard")
        cell.quotePrefix = True  # stays text when a user edits it
        return cell

    def styled(self, value, style: str | None, *, keep_empty: bool = False):
        """``value`` through the safe writer, with a named style (None: plain). An empty value
        stays an unstyled empty cell unless ``keep_empty`` (e.g. to fill a whole row)."""
        safe = self.value(value)
        if style is None or (safe is None and not keep_empty):
            return safe
        if isinstance(safe, Cell):
            self.styles.apply(safe, style)
            if safe.data_type == "s":
                safe.quotePrefix = True
            return safe
        cell = WriteOnlyCell(self.ws)
        if safe is not None:
            cell.value = safe
        self.styles.apply(cell, style)
        return cell

    def link(self, text, *, url: str | None = None, location: str | None = None):
        """A hyperlink cell: ``url`` (http/https only) or an in-workbook ``location``."""
        safe = self.value(text)
        if url and not url.lower().startswith(("http://", "https://")):
            url = None
        if not url and not location:
            return safe
        cell = safe if isinstance(safe, Cell) else WriteOnlyCell(self.ws)
        if not isinstance(safe, Cell) and safe is not None:
            cell.value = safe
        cell.hyperlink = Hyperlink(ref="", target=url) if url else Hyperlink(ref="", location=location)
        self.styles.apply(cell, "link")
        if cell.data_type == "s" and isinstance(safe, Cell):
            cell.quotePrefix = True
        return cell

    # -- rows ----------------------------------------------------------------------------------
    def append(self, cells: list) -> None:
        """Append an already safe row (built with ``value``/``styled``/``link``)."""
        self.rows += 1
        height = self._height(cells)
        if height:
            # Read by the writer when the row is streamed out (also for a buffered sheet).
            self.ws.row_dimensions[self.rows].height = height
        if self._buffer is not None:
            self._buffer.append(cells)
        else:
            self.ws.append(cells)
        self.max_col = max(self.max_col, len(cells))

    def header(self, labels: Iterable[str], style: str = "header") -> None:
        self.append([self.styled(label, style) for label in labels])
        if not self.ws.print_title_rows:
            self.ws.print_title_rows = f"{self.rows}:{self.rows}"  # repeated on every printed page

    def flush(self) -> None:
        """Write a buffered sheet, now that its size is known."""
        if self._buffer is not None:
            rows, self._buffer = self._buffer, None
            self.set_size(len(rows), self.max_col)
            for cells in rows:
                self.ws.append(cells)

    def autofilter(self, header_row: int = 1) -> None:
        if self.max_col:
            last = get_column_letter(self.max_col)
            self.ws.auto_filter.ref = f"A{header_row}:{last}{max(self.rows, header_row)}"


def sheet_location(title: str, cell: str = "A1") -> str:
    """In-workbook hyperlink location of a sheet (quotes doubled as the file format wants)."""
    return "'{}'!{}".format(title.replace("'", "''"), cell)
