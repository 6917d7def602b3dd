"""Encodings are detected; binaries, empty, oversize and unsupported files are refused."""

from __future__ import annotations

import codecs

import pytest

from apps.evidence.pipeline import MAX_BYTES, Refused, analyse, decode_bytes

TEXT = "중랑구, 탄소중립 실천 교육 실시\n등록 2024-10-24 10:20:01\n중랑구가 구민을 대상으로 탄소중립 교육을 실시한다고 밝혔다."


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("cp949", TEXT.encode("cp949")),
        ("euc-kr", TEXT.encode("euc-kr")),
        ("utf-16-le", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
        ("utf-16-be", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ],
)
def test_it_decodes_korean_in_each_encoding(encoding, data):
    d = decode_bytes(data, "page.txt")
    assert d.text == TEXT
    assert "\ufeff" not in d.text


def test_it_detects_utf16_without_bom_by_nul_pattern():
    data = ("Seoul carbon neutrality plan. " + TEXT).encode("utf-16-le")
    assert decode_bytes(data).text.endswith("밝혔다.")


def test_cp949_only_characters_are_not_mistaken_for_utf8():
    # 똠/햏 exist in CP949 but not in EUC-KR: strict CP949 must be tried before fallbacks
    text = "똠방각하 햏 " + TEXT
    assert decode_bytes(text.encode("cp949")).encoding == "cp949"
    assert decode_bytes(text.encode("cp949")).text == text


def test_crlf_line_endings_are_normalised():
    assert decode_bytes(TEXT.replace("\n", "\r\n").encode()).text == TEXT


@pytest.mark.parametrize(
    "data, filename, reason",
    [
        (b"", "a.txt", "empty file"),
        (b"   \n\t ", "a.txt", "empty file"),
        (b"%PDF-1.7\x00\x01\x02binary\x00\x00", "a.txt", "binary file"),
        (bytes(range(256)) * 4, "a.txt", "binary file"),
        (b"hello", "report.pdf", "unsupported extension .pdf"),
        (b"hello", "image.PNG", "unsupported extension .png"),
    ],
)
def test_it_refuses_with_a_clear_reason(data, filename, reason):
    with pytest.raises(Refused) as exc:
        decode_bytes(data, filename)
    assert reason in exc.value.reason
    assert "\n" not in exc.value.reason


def test_it_refuses_oversize_files_stating_the_limit():
    with pytest.raises(Refused) as exc:
        decode_bytes(b"a" * (MAX_BYTES + 1), "big.txt")
    assert "file too large" in exc.value.reason and "5 MB limit" in exc.value.reason


@pytest.mark.parametrize("filename", ["a.txt", "a.html", "a.htm", "a.md", ""])
def test_allowed_extensions_are_accepted(filename):
    assert decode_bytes(TEXT.encode(), filename).text == TEXT


def test_analyse_refuses_the_same_way_for_text_and_bytes():
    with pytest.raises(Refused):
        analyse("   ")
    with pytest.raises(Refused):
        analyse("text", filename="x.docx")
    with pytest.raises(Refused):
        analyse(b"\x00\x01\x02\x03" * 10, filename="x.txt")
