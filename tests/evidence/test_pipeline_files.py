"""Issue 21: text out of PDF, DOCX, HWPX and HWP 5.x proof files, with the same limits as text
and one bilingual line for each refusal. Every file is built in code (tests/evidence/proof_files.py)."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from apps.evidence.pipeline import MAX_BYTES, Refused, analyse
from apps.evidence.pipeline.files import MAX_INFLATED, extract_text

from .proof_files import docx_file, hwp_file, hwpx_file, pdf_file

TITLE = "수원시, 학교 태양광 확대"
BODY = "수원시는 올해 학교 40곳에 태양광 발전설비를 설치해 재생에너지를 늘린다고 밝혔다."


def _bilingual(reason: str) -> bool:
    korean, _, english = reason.partition(" / ")
    return bool(korean) and bool(english) and "\n" not in reason and any("가" <= ch <= "힣" for ch in korean)


@pytest.mark.parametrize(
    "filename, data",
    [
        ("release.docx", docx_file([TITLE, BODY])),
        ("release.hwpx", hwpx_file([TITLE, BODY])),
        ("release.hwp", hwp_file([TITLE, BODY])),
        ("release-stored.hwp", hwp_file([TITLE, BODY], compressed=False)),
    ],
)
def test_korean_press_release_files_are_analysed_like_text(filename, data):
    a = analyse(data, filename=filename)
    assert a.title == TITLE and a.body == BODY
    assert a.municipality_code == "41110"
    assert a.goals[0]["goal"] == 7
    assert a.file_format == filename.rsplit(".", 1)[1]


def test_pdf_text_layer_is_extracted():
    lines = [
        "City of Suwon expands solar power on schools",
        "The city will install solar panels on 40 schools to grow renewable energy, the mayor said.",
    ]
    a = analyse(pdf_file(lines), filename="release.pdf")
    assert a.title == lines[0] and "solar panels on 40 schools" in a.body
    assert a.file_format == "pdf" and a.goals[0]["goal"] == 7


def test_docx_tables_and_hwpx_cells_keep_their_text_in_order():
    text = extract_text(docx_file([TITLE], [["구분", "용량"], ["학교", "2MW"]]), ".docx")
    assert text == f"{TITLE}\n구분 | 용량\n학교 | 2MW"
    text = extract_text(hwpx_file([TITLE, BODY], cell="표 안의 글"), ".hwpx")
    assert text == f"{TITLE}\n표 안의 글\n{BODY}"


def test_hwp_control_codes_are_skipped_not_printed():
    text = extract_text(hwp_file(["첫 문단", "둘째 문단"]), ".hwp")
    assert text == "첫 문단\n둘째 문단"  # the first paragraph starts with an 8-unit table anchor


@pytest.mark.parametrize(
    "filename, data, english",
    [
        ("locked.pdf", pdf_file(["secret plan"], password="pw"), "encrypted (password-protected) PDF"),
        ("locked.hwp", hwp_file([TITLE], encrypted=True), "encrypted (password-protected) HWP"),
        ("locked.hwpx", hwpx_file([TITLE], encrypted=True), "encrypted (password-protected) HWPX"),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "encrypted (password-protected) DOCX",
        ),
        ("scan.pdf", pdf_file([], image_only=True), "scanned image-only PDF"),
        ("broken.pdf", b"%PDF-1.7\nnot really a pdf", "malformed PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", "malformed DOCX"),
        ("broken.hwpx", b"plain text renamed", "malformed HWPX"),
        ("broken.hwp", b"plain text renamed", "malformed HWP"),
        ("old.hwp", b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05", "HWP 3.x is not supported"),
        ("empty.pdf", b"", "empty file"),
    ],
)
def test_refusals_are_one_bilingual_line(filename, data, english):
    with pytest.raises(Refused) as refusal:
        analyse(data, filename=filename)
    assert english in refusal.value.reason
    assert _bilingual(refusal.value.reason)


def test_a_docx_without_a_document_part_is_malformed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(Refused, match="malformed DOCX"):
        extract_text(out.getvalue(), ".docx")


def test_oversize_file_is_refused_before_parsing():
    with pytest.raises(Refused, match="5 MB limit") as refusal:
        analyse(b"%PDF-1.7\n" + b"0" * MAX_BYTES, filename="big.pdf")
    assert _bilingual(refusal.value.reason)


def test_inflated_bytes_are_counted_zip_bomb_hwpx():
    bomb = hwpx_file([TITLE], padding=MAX_INFLATED)  # ~20 MB of spaces, a few KB zipped
    assert len(bomb) < MAX_BYTES
    with pytest.raises(Refused, match="file too large: HWPX unpacked") as refusal:
        extract_text(bomb, ".hwpx")
    assert _bilingual(refusal.value.reason)


def test_inflated_bytes_are_counted_zlib_bomb_hwp():
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    section = deflate.compress(b"\x00" * (MAX_INFLATED + 1024)) + deflate.flush()
    with pytest.raises(Refused, match="file too large: HWP sections inflated"):
        extract_text(hwp_file([], raw_section=section), ".hwp")


def test_a_file_of_no_text_is_refused_as_such():
    with pytest.raises(Refused, match="no text in this DOCX"):
        analyse(docx_file(["", "  "]), filename="blank.docx")
