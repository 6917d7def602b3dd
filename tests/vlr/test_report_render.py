"""The demo city's report PDF rendered to pixels as a reader sees it (pypdfium2, PDFium: the
engine of Chrome's PDF viewer), not only read back as text: text extraction would find Korean
text even where the PDF draws it as empty boxes (tofu)."""

from __future__ import annotations

from io import StringIO

import pypdfium2 as pdfium
from django.core.management import call_command

from apps.municipalities.models import Municipality
from apps.sdg.models import Goal
from apps.vlr.exports.report import report_bytes

DARK = 128  # a grey level below this is ink


def ink(image) -> int:
    """Dark pixels in a PIL image."""
    return sum(image.convert("L").point(lambda v: 255 if v < DARK else 0).histogram()[255:])


def test_the_demo_pdf_renders_with_a_cover_korean_glyphs_and_page_numbers(db):
    call_command("seed_demo", stdout=StringIO())
    city = Municipality.objects.get(code="11260")
    document = pdfium.PdfDocument(report_bytes(municipality=city, year=2025, fmt="pdf", lang="ko"))
    colours = [goal.colour for goal in Goal.objects.order_by("number")]
    assert len(document) >= 10

    # page 1, the cover: not blank, and the 17 goal colours of its strip are drawn
    cover = document[0].render(scale=0.5).to_pil().convert("RGB")
    assert ink(cover) > 500
    drawn = {pixel for _count, pixel in cover.getcolors(maxcolors=1 << 24)}
    for colour in colours:
        rgb = tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        assert any(all(abs(a - b) <= 8 for a, b in zip(rgb, pixel, strict=True)) for pixel in drawn), colour

    # the contents, a page of Korean text: every Korean character extracted has ink in its box, and distinct
    # characters are drawn as distinct shapes (tofu would be one identical empty box for all)
    page = document[1]
    text = page.get_textpage()
    scale = 3
    bitmap = page.render(scale=scale).to_pil()
    height = page.get_height()
    shapes: dict[str, bytes] = {}
    for i in range(text.count_chars()):
        char = text.get_text_range(i, 1)
        if not ("\uac00" <= char <= "\ud7a3"):  # Hangul syllables only
            continue
        left, bottom, right, top = text.get_charbox(i)
        box = (
            int(left * scale),
            int((height - top) * scale),
            int(right * scale) + 1,
            int((height - bottom) * scale) + 1,
        )
        glyph = bitmap.crop(box)
        assert ink(glyph) > 0, (char, box)
        shapes.setdefault(char, glyph.convert("1").tobytes())
    assert len(shapes) >= 10
    assert len(set(shapes.values())) >= len(shapes) * 0.9  # not one box repeated

    # page numbers: the footer band of every page after the cover holds its number
    for number in range(2, len(document) + 1):
        page = document[number - 1]
        footer = page.get_textpage().get_text_bounded(0, 0, page.get_width(), 20 * 72 / 25.4)
        assert footer.strip() == str(number), (number, footer)
    document.close()
