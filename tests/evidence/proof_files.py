"""Proof files built in code for the tests (no binary fixtures committed).

PDF with pypdf's writer (a hand-written content stream: a standard font, text
operators), DOCX with python-docx, HWPX as zip + XML, HWP 5.x as a minimal
OLE compound file written here by hand: olefile only reads (it can overwrite
streams of an existing file, not create one) and no maintained Python library
writes HWP, so :func:`ole_file` lays out the Compound File Binary format
(MS-CFB, version 3, 512-byte sectors) itself: header, one FAT sector, one
directory sector, then each stream in whole sectors. Streams are padded to
4096 bytes so none goes to the mini stream.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

ENDOFCHAIN, FATSECT, FREESECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


# --- PDF -----------------------------------------------------------------------------------


def pdf_file(lines: list[str], *, password: str = "", image_only: bool = False) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    resources = DictionaryObject()
    if image_only:  # a 1x1 grey "scan": an image XObject drawn on the page, no text operators
        image = DecodedStreamObject()
        image.set_data(b"\x80")
        image.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(1),
                NameObject("/Height"): NumberObject(1),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                NameObject("/BitsPerComponent"): NumberObject(8),
            }
        )
        resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im0"): writer._add_object(image)})
        ops = b"q 500 0 0 700 40 80 cm /Im0 Do Q"
    else:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        resources[NameObject("/Font")] = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
        body = b"".join(
            b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj 0 -16 Td "
            for line in lines
        )
        ops = b"BT /F1 11 Tf 50 780 Td " + body + b"ET"
    page[NameObject("/Resources")] = resources
    content = DecodedStreamObject()
    content.set_data(ops)
    page[NameObject("/Contents")] = writer._add_object(content)
    if password:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- DOCX ------------------------------------------------------------------------------------


def docx_file(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- HWPX ------------------------------------------------------------------------------------

HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HS = "http://www.hancom.co.kr/hwpml/2011/section"


def _hwpx_paragraph(text: str) -> str:
    return f'<hp:p id="0"><hp:run charPrIDRef="0"><hp:t>{text}</hp:t></hp:run></hp:p>'


def hwpx_file(paragraphs: list[str], *, cell: str = "", encrypted: bool = False, padding: int = 0) -> bytes:
    table = ""
    if cell:  # a table whose cell holds a paragraph of its own
        table = (
            '<hp:p id="0"><hp:run charPrIDRef="0"><hp:tbl><hp:tr><hp:tc><hp:subList>'
            + _hwpx_paragraph(cell)
            + "</hp:subList></hp:tc></hp:tr></hp:tbl></hp:run></hp:p>"
        )
    section = (
        f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">'
        + "".join(_hwpx_paragraph(p) for p in paragraphs[:1])
        + table
        + "".join(_hwpx_paragraph(p) for p in paragraphs[1:])
        + " " * padding
        + "</hs:sec>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
        manifest = '<manifest xmlns="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        if encrypted:
            manifest += '<file-entry full-path="Contents/section0.xml"><encryption-data/></file-entry>'
        archive.writestr("META-INF/manifest.xml", manifest + "</manifest>")
        archive.writestr("Contents/section0.xml", section)
    return out.getvalue()


# --- HWP 5.x (OLE compound file) ------------------------------------------------------------


def _dir_entry(name: str, kind: int, child=NOSTREAM, right=NOSTREAM, start=ENDOFCHAIN, size=0) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, colour black
        + struct.pack("<III", NOSTREAM, right, child)  # left, right sibling, child
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16  # CLSID, state bits, times
        + struct.pack("<IQ", start, size)
    )


def ole_file(file_header: bytes, section: bytes) -> bytes:
    """A CFB v3 file: Root -> FileHeader, BodyText/Section0 (both streams >= 4096 bytes)."""
    streams = [file_header.ljust(4096, b"\x00"), section.ljust(max(4096, len(section)), b"\x00")]
    sectors = [-(-len(s) // 512) for s in streams]
    fat = [FATSECT, ENDOFCHAIN]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for count in sectors:
        first = len(fat)
        starts.append(first)
        fat.extend([*list(range(first + 1, first + count)), ENDOFCHAIN])
    assert len(fat) <= 128
    fat += [FREESECT] * (128 - len(fat))
    directory = (
        _dir_entry("Root Entry", 5, child=1)
        + _dir_entry("FileHeader", 2, right=2, start=starts[0], size=len(file_header.ljust(4096, b"\x00")))
        + _dir_entry("BodyText", 1, child=3)
        + _dir_entry("Section0", 2, start=starts[1], size=len(streams[1]))
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREESECT) * 108
    )
    body = (
        struct.pack("<128I", *fat)
        + directory
        + b"".join(s.ljust(n * 512, b"\x00") for s, n in zip(streams, sectors))
    )
    return header + body


def hwp_record(tag: int, payload: bytes) -> bytes:
    size = len(payload)
    if size < 0xFFF:
        return struct.pack("<I", tag | (size << 20)) + payload
    return struct.pack("<II", tag | (0xFFF << 20), size) + payload


def para_text(text: str, *, control: bool = False) -> bytes:
    """A PARA_TEXT payload; ``control`` puts an 8-unit extended control (a table anchor) first."""
    units = b""
    if control:
        units += struct.pack("<H", 11) + b"tbl " + b"\x00" * 8 + struct.pack("<H", 11)
    return units + (text + "\r").encode("utf-16-le")


def hwp_file(
    paragraphs: list[str],
    *,
    encrypted: bool = False,
    compressed: bool = True,
    raw_section: bytes | None = None,
) -> bytes:
    flags = (1 if compressed else 0) | (2 if encrypted else 0)
    file_header = b"HWP Document File".ljust(32, b"\x00") + struct.pack("<II", 0x05000300, flags)
    section = (
        raw_section
        if raw_section is not None
        else b"".join(
            hwp_record(0x10 + 50, b"\x00" * 22) + hwp_record(0x10 + 51, para_text(p, control=i == 0))
            for i, p in enumerate(paragraphs)
        )
    )
    if compressed and raw_section is None:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        section = deflate.compress(section) + deflate.flush()
    return ole_file(file_header, section)
