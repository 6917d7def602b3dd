"""The report document as an editable DOCX (python-docx): the same content model as the PDF
(:mod:`.report_content`), in Word's own styles (Title, Heading 1/2, List Bullet, Caption), so a
council or ministry can edit it and Word or LibreOffice builds the navigation pane and the table
of contents from the headings.

A4 with page numbers in the footer and the city and year in the header; a table's header row
repeats on every page (``w:tblHeader``) and no row splits across pages (``w:cantSplit``).
Korean text is set in Noto Sans CJK KR through the East Asian font slot (``w:eastAsia``), with
Malgun Gothic the usual fallback on Windows. A chart is given as its alt text and the table of
the numbers it draws: Word cannot edit an embedded SVG's data, a table it can.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .report_content import Bullets, Chart, Paragraph, ReportContent, Table

FONT_LATIN = "Noto Sans"
FONT_EAST_ASIA = "Noto Sans CJK KR"


def _set_fonts(style) -> None:
    style.font.name = FONT_LATIN
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), FONT_LATIN)
    fonts.set(qn("w:eastAsia"), FONT_EAST_ASIA)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC): computed by Word/LibreOffice when the file opens."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # ask the reader to update it (the TOC's page numbers)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, text, separate])
    if placeholder:
        paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _lang(paragraph, lang: str) -> None:
    if not lang:
        return
    for run in paragraph.runs:
        element = OxmlElement("w:lang")
        element.set(qn("w:eastAsia" if lang == "ko" else "w:val"), "ko-KR" if lang == "ko" else "en-GB")
        run._r.get_or_add_rPr().append(element)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _table(doc, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption")
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    header_props = header._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        header_props.append(element)
    for cell, text in zip(header.cells, table.header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(8)
        _shade(cell, "#E5E7EB")
    for row in table.cells:
        cells = grid.add_row()
        props = cells._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        props.append(cant_split)
        for cell, value in zip(cells.cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            if value["colour"]:
                swatch = paragraph.add_run("■ ")
                swatch.font.color.rgb = RGBColor.from_string(value["colour"].lstrip("#").upper())
                swatch.font.size = Pt(8)
            run = paragraph.add_run(value["text"])
            run.font.size = Pt(8)
            if value["numeric"]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _blocks(doc, blocks: list) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            style = {"fact": "Intense Quote", "note": "Heading 3"}.get(block.style, "Normal")
            if block.style == "note":
                paragraph = doc.add_paragraph(block.text)
                paragraph.runs[0].bold = True
            else:
                paragraph = doc.add_paragraph(block.text, style=style)
            _lang(paragraph, block.lang)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Chart):
            doc.add_paragraph(block.title, style="Caption")
            doc.add_paragraph(block.alt).runs[0].italic = True
            _table(doc, block.data)
        elif isinstance(block, Table):
            _table(doc, block)


def report_docx(content: ReportContent) -> bytes:
    doc = Document()
    for name in (
        "Normal",
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Caption",
        "List Bullet",
        "Intense Quote",
    ):
        _set_fonts(doc.styles[name])
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = content.title
    doc.core_properties.author = content.city
    doc.core_properties.language = "en" if content.lang == "en" else "ko"

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    section.different_first_page_header_footer = True  # the cover has neither
    section.header.paragraphs[0].text = content.running_header
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")

    # Cover
    doc.add_paragraph(content.city, style="Subtitle")
    doc.add_paragraph(content.title, style="Title")
    doc.add_paragraph(content.subtitle, style="Subtitle")
    doc.add_paragraph(f"{content.year}" + (f" · {content.period}" if content.period else ""))
    strip = doc.add_paragraph()
    for colour in content.goal_colours:
        run = strip.add_run("█")
        run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        run.font.size = Pt(22)
    for line in (content.status, content.draft_notice, content.generated_at):
        if line:
            doc.add_paragraph(line)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Contents: a TOC field over the heading levels 1-2, filled in when the file is opened.
    doc.add_paragraph(content.contents_title, style="Heading 1")
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "…")
    for chapter in content.chapters:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(chapter.title, level=1)
        _blocks(doc, chapter.blocks)
        for child in chapter.children:
            heading = doc.add_heading("", level=2)
            if child.colour:  # a swatch, not coloured text: goal 7's yellow is unreadable on white
                heading.add_run("■ ").font.color.rgb = RGBColor.from_string(child.colour.lstrip("#").upper())
            heading.add_run(child.title)
            _blocks(doc, child.blocks)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
