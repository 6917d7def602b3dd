"""Text out of proof files: PDF, DOCX, HWPX and HWP 5.x, or a clear refusal.

Planners keep press releases and reports as files. The text found here goes
through the same cleaning and classification as a pasted page; the caller
keeps the original file beside the document.

Limits (the same as for text, :data:`decode.MAX_BYTES` = 5 MiB):

* the file itself is at most ``MAX_BYTES``;
* bytes inflated from it (zip members, zlib streams of HWP, PDF content
  streams) are counted and at most :data:`MAX_INFLATED` in total, so a small
  "zip bomb" is refused instead of filling the memory;
* the text extracted is at most ``MAX_BYTES`` (UTF-8).

Refusals are one bilingual line (encrypted, scanned image-only, oversize,
malformed, unsupported version).

Libraries (each replaces a parser we would otherwise write and keep):

* PDF: ``pypdf`` (pure Python, BSD, maintained by the py-pdf org): text layer
  of each page; its per-stream inflate limits are lowered to ``MAX_INFLATED``
  (``pypdf.apply_configuration``, this extraction only);
* DOCX: ``python-docx`` (MIT): paragraphs and tables in document order;
* HWPX (OWPML, KS X 6101): a zip of XML, read with ``zipfile`` + ``lxml``
  (entities off, no network): ``hp:t`` runs of each ``hp:p`` of
  ``Contents/section*.xml``;
* HWP 5.x: an OLE compound file, read with ``olefile`` (BSD); the
  ``BodyText/Section*`` streams are raw-deflate compressed (``zlib``) records;
  the ``HWPTAG_PARA_TEXT`` records hold UTF-16LE text with inline control
  codes (HWP 5.0 format specification, Hancom, rev. 1.3).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from .decode import MAX_BYTES, Refused

#: Extensions handled here (the rest are text: decode.ALLOWED_EXTENSIONS).
FILE_EXTENSIONS = frozenset({".pdf", ".docx", ".hwpx", ".hwp"})
#: Bytes inflated from one file (zip members, zlib streams, PDF content streams).
MAX_INFLATED = 4 * MAX_BYTES
MAX_PDF_PAGES = 2000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWPTAG_PARA_TEXT = 0x10 + 51


def _oversize(what: str) -> Refused:
    mb = MAX_INFLATED // (1024 * 1024)
    return Refused(f"파일이 너무 큽니다({what}) / file too large: {what} exceeds the {mb} MB limit")


def _malformed(kind: str, detail: str = "") -> Refused:
    extra = f" ({detail})" if detail else ""
    return Refused(f"{kind} 파일을 읽을 수 없습니다 / malformed {kind} file{extra}")


def _encrypted(kind: str) -> Refused:
    return Refused(
        f"암호가 걸린 {kind} 파일입니다. 암호를 풀고 다시 올리세요 / "
        f"encrypted (password-protected) {kind}: remove the password and upload again"
    )


def _no_text(kind: str, images: bool) -> Refused:
    if images:
        return Refused(
            f"글자 없이 그림만 있는(스캔한) {kind}입니다. 글자 인식(OCR) 후 올리세요 / "
            f"scanned image-only {kind}: no text layer, run OCR first"
        )
    return Refused(f"{kind}에 글자가 없습니다 / no text in this {kind}")


def _finish(parts: list[str], kind: str, images: bool = False) -> str:
    text = "\n".join(p.strip() for p in parts if p and p.strip())
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise _no_text(kind, images)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise Refused(f"글이 너무 깁니다 / text too large: > {MAX_BYTES // (1024 * 1024)} MB limit")
    return text


# --- PDF --------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    import pypdf

    limits = {  # per stream, for this extraction only (pypdf's default is 75 MB)
        "zlib_maximum_output_length": MAX_INFLATED,
        "lzw_maximum_output_length": MAX_INFLATED,
        "run_length_maximum_output_length": MAX_INFLATED,
    }
    with pypdf.apply_configuration(**limits):
        return _pdf_read(data)


def _pdf_read(data: bytes) -> str:
    import pypdf
    from pypdf.errors import FileNotDecryptedError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:  # an owner password alone (printing/copy rights) opens with ""
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise _encrypted("PDF")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _oversize(f"{len(reader.pages)} pages > {MAX_PDF_PAGES}")
        parts, inflated, images = [], 0, False
        for page in reader.pages:
            contents = page.get_contents()
            inflated += len(contents.get_data()) if contents is not None else 0
            if inflated > MAX_INFLATED:
                raise _oversize("PDF content streams")
            xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
            images = images or any(
                (xobjects[name].get_object().get("/Subtype") == "/Image") for name in xobjects
            )
            parts.append(page.extract_text() or "")
    except Refused:
        raise
    except FileNotDecryptedError:
        raise _encrypted("PDF") from None
    except Exception as error:
        raise _malformed("PDF", type(error).__name__) from None
    return _finish(parts, "PDF", images)


# --- zip containers (DOCX, HWPX) ----------------------------------------------------------


def _zip(data: bytes, kind: str) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        # Office and Hancom save a password-protected DOCX/HWPX as an OLE container
        raise _encrypted(kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _malformed(kind, "not a zip archive") from None
    # zipfile never inflates a member past its declared size, so the declared sizes bound the work
    if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED:
        raise _oversize(f"{kind} unpacked")
    return archive


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table

    archive = _zip(data, "DOCX")
    if "word/document.xml" not in archive.namelist():
        raise _malformed("DOCX", "no word/document.xml")
    try:
        document = docx.Document(io.BytesIO(data))
        parts = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = []
                    for cell in row.cells:
                        text = cell.text.strip()
                        if text and (not cells or cells[-1] != text):  # merged cells repeat
                            cells.append(text)
                    parts.append(" | ".join(cells))
            else:
                parts.append(block.text)
    except Exception as error:
        raise _malformed("DOCX", type(error).__name__) from None
    return _finish(parts, "DOCX", images=any(n.startswith("word/media/") for n in archive.namelist()))


_SECTION_RE = re.compile(r"^Contents/section(\d+)\.xml$")


def _hwpx_text(data: bytes) -> str:
    from lxml import etree

    archive = _zip(data, "HWPX")
    names = archive.namelist()
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise _encrypted("HWPX")
    sections = sorted((int(m.group(1)), n) for n in names if (m := _SECTION_RE.match(n)))
    if not sections:
        raise _malformed("HWPX", "no Contents/section0.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    parts = []
    try:
        for _, name in sections:
            root = etree.fromstring(archive.read(name), parser)
            for p in root.iter("{*}p"):
                # the runs of this paragraph only: a table's cells are paragraphs of their own
                parts.append("".join("".join(t.itertext()) for t in p.iterfind("{*}run/{*}t")))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError) as error:
        raise _malformed("HWPX", type(error).__name__) from None
    return _finish(parts, "HWPX", images=any(n.startswith("BinData/") for n in names))


# --- HWP 5.x ------------------------------------------------------------------------------

# Control codes inside PARA_TEXT: these take one UTF-16 unit; every other code
# below 32 is an inline or extended control of 8 units (the code, 6 units of
# data, the code again).
_CHAR_CONTROLS = {
    0: "",
    10: "\n",
    13: "\n",
    24: "-",
    25: "",
    26: "",
    27: "",
    28: "",
    29: "",
    30: " ",
    31: " ",
}


def _para_text(payload: bytes) -> str:
    n = len(payload) // 2
    units = struct.unpack(f"<{n}H", payload[: 2 * n])
    kept: list[int] = []
    i = 0
    while i < n:
        c = units[i]
        if c >= 32:
            kept.append(c)
            i += 1
        elif c in _CHAR_CONTROLS:
            kept.extend(ord(ch) for ch in _CHAR_CONTROLS[c])
            i += 1
        else:
            if c == 9:
                kept.append(9)
            i += 8
    return struct.pack(f"<{len(kept)}H", *kept).decode("utf-16-le", errors="replace")


def _records(stream: bytes):
    """(tag, payload) of each record: a 32-bit header (tag 10 bits, level 10, size 12; size 0xFFF = a 32-bit size follows)."""
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        (header,) = struct.unpack_from("<I", stream, pos)
        pos += 4
        tag, size = header & 0x3FF, (header >> 20) & 0xFFF
        if size == 0xFFF:
            if pos + 4 > end:
                raise _malformed("HWP", "truncated record")
            (size,) = struct.unpack_from("<I", stream, pos)
            pos += 4
        if pos + size > end:
            raise _malformed("HWP", "truncated record")
        yield tag, stream[pos : pos + size]
        pos += size


def _hwp_text(data: bytes) -> str:
    import olefile

    if data.startswith(b"HWP Document File V3"):
        raise Refused(
            "HWP 3.x 파일은 읽을 수 없습니다. HWP 5 이상이나 HWPX로 저장하세요 / "
            "HWP 3.x is not supported: save as HWP 5+ or HWPX"
        )
    if not data.startswith(OLE_MAGIC):
        raise _malformed("HWP", "not an HWP 5 (OLE) file")
    try:
        ole = olefile.OleFileIO(data)
        header = ole.openstream("FileHeader").read(256) if ole.exists("FileHeader") else b""
        if not header.startswith(b"HWP Document File"):
            raise _malformed("HWP", "no HWP FileHeader")
        (flags,) = struct.unpack_from("<I", header, 36)
        if flags & 0b110:  # bit 1 password, bit 2 distribution document (encrypted ViewText)
            raise _encrypted("HWP")
        sections = sorted(
            (int(path[1][len("Section") :]), path)
            for path in ole.listdir()
            if len(path) == 2 and path[0] == "BodyText" and re.fullmatch(r"Section\d+", path[1])
        )
        if not sections:
            raise _malformed("HWP", "no BodyText sections")
        parts, budget = [], MAX_INFLATED
        for _, path in sections:
            raw = ole.openstream(path).read()
            if flags & 1:  # compressed: raw deflate, inflated at most up to the remaining budget
                inflater = zlib.decompressobj(-15)
                raw = inflater.decompress(raw, budget + 1)
            budget -= len(raw)
            if budget < 0:
                raise _oversize("HWP sections inflated")
            parts.extend(_para_text(payload) for tag, payload in _records(raw) if tag == HWPTAG_PARA_TEXT)
        images = ole.exists("BinData")
    except Refused:
        raise
    except Exception as error:
        raise _malformed("HWP", type(error).__name__) from None
    return _finish(parts, "HWP", images)


_EXTRACTORS = {".pdf": _pdf_text, ".docx": _docx_text, ".hwpx": _hwpx_text, ".hwp": _hwp_text}


def extract_text(data: bytes, ext: str) -> str:
    """The text of a proof file (``ext`` one of :data:`FILE_EXTENSIONS`) or :class:`Refused`."""
    if not data:
        raise Refused("빈 파일입니다 / empty file")
    if len(data) > MAX_BYTES:
        raise Refused(
            f"파일이 너무 큽니다 / file too large: {len(data) / 1024 / 1024:.1f} MB > "
            f"{MAX_BYTES // (1024 * 1024)} MB limit"
        )
    return _EXTRACTORS[ext](data)
