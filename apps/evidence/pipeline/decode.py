"""Turn received bytes into text, or refuse them with a one-line reason.

Order of attempts (Korean pages are mostly UTF-8 today, but older municipal
sites and HWP->TXT exports are CP949/EUC-KR, and Windows "Unicode" saves are
UTF-16):

1. a byte-order mark (UTF-8, UTF-16 LE/BE) decides;
2. BOM-less UTF-16 is recognised by its NUL pattern (every other byte NUL);
3. any other NUL byte means a binary file -> refused;
4. strict UTF-8, then strict CP949 (a superset of EUC-KR), then
   charset-normalizer as the last resort.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

#: Largest input accepted (5 MiB). A scraped article is 2-200 KB; anything
#: larger is a report, a dump or a mistake and should go through another path.
MAX_BYTES = 5 * 1024 * 1024

#: Extensions we accept. "" is pasted text or a file without extension.
ALLOWED_EXTENSIONS = frozenset({".txt", ".html", ".htm", ".md", ""})


class Refused(ValueError):
    """The input cannot be ingested; ``reason`` is a one-line "국문 / English" message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _check_extension(filename: str) -> None:
    if not filename:
        return
    ext = os.path.splitext(filename)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        allowed = ", ".join([*sorted(e for e in ALLOWED_EXTENSIONS if e), ".pdf", ".docx", ".hwpx", ".hwp"])
        raise Refused(
            f"지원하지 않는 파일 형식입니다({ext}) / unsupported extension {ext} (allowed: {allowed} or pasted text)"
        )


def _utf16_without_bom(data: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when the NUL bytes sit on one parity."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has ~all high bytes NUL; Hangul-only text has none,
    # so also accept a clear majority together with a clean decode.
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace betray a binary payload."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100)


def _strict(data: bytes, encoding: str, skipped: int = 0) -> str:
    """``data`` decoded, or a refusal that says where it is broken: a byte-order mark names the
    encoding, so a broken UTF-16 surrogate pair or a bad UTF-8 sequence is an error in the file,
    not something to paper over with replacement characters."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Refused(
            f"{error.start + skipped}번째 바이트의 {encoding.upper()} 글자가 잘못되었습니다 / "
            f"invalid {encoding.upper()} at byte {error.start + skipped}: {error.reason} "
            "(the file is damaged or not in the encoding its byte-order mark names)"
        ) from None


def check_text(text: str) -> str:
    """Pasted text as received; refused when it holds a lone UTF-16 surrogate (from JSON
    ``"\\ud800"`` or a broken copy), which no encoding can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise Refused(
            f"{error.start}번째 글자가 잘못되었습니다 / invalid text at character {error.start}: a lone surrogate "
            f"(U+{ord(text[error.start]):04X}) is not a character"
        ) from None
    return text


def decode_bytes(data: bytes, filename: str = "") -> Decoded:
    """Decode ``data`` or raise :class:`Refused` with a clear reason."""
    _check_extension(filename)
    if data is None or len(data) == 0:
        raise Refused("빈 파일입니다 / empty file")
    if len(data) > MAX_BYTES:
        raise Refused(
            f"파일이 너무 큽니다 / file too large: {len(data) / 1024 / 1024:.1f} MB > {MAX_BYTES // (1024 * 1024)} MB limit"
        )

    text: str | None = None
    encoding = ""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        text, encoding = _strict(data[2:], enc, skipped=2), "utf-16"
    else:
        enc16 = _utf16_without_bom(data)
        if enc16:  # the NUL pattern says UTF-16: failing to decode is damage, said as such
            try:
                text, encoding = data.decode(enc16), enc16
            except UnicodeDecodeError as error:
                raise Refused(
                    f"텍스트 파일이 아니거나 손상되었습니다 / binary file or damaged {enc16.upper()} text: {error.reason} at byte {error.start}"
                ) from None
        if text is None:
            if b"\x00" in data:
                raise Refused("텍스트 파일이 아닙니다 / binary file (NUL bytes, not text)")
            for enc in ("utf-8", "cp949"):
                try:
                    text, encoding = data.decode(enc), enc
                    break
                except UnicodeDecodeError:
                    continue
        if text is None:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is None:
                raise Refused(
                    "텍스트 파일이 아니거나 인코딩을 알 수 없습니다 / binary file or unknown encoding (not text)"
                )
            text, encoding = str(best), best.encoding

    if _looks_binary(text):
        raise Refused("텍스트 파일이 아닙니다 / binary file (control bytes, not text)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Refused("빈 파일입니다 / empty file")
    return Decoded(text=text, encoding=encoding)
