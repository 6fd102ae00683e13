"""Plain text (.txt, .md) of unknown encoding: BOMs, UTF-16 without BOM, UTF-8, GB18030, detection."""
from __future__ import annotations

import codecs
import logging
import unicodedata

from ingest.models import ReadError

log = logging.getLogger(__name__)

# Share of a decoded text's characters that may be control or U+FFFD characters before
# the file counts as binary. Real reports have none; 5% leaves room for a stray
# character while rejecting decoded binary, which is mostly control characters.
_MAX_CONTROL_SHARE = 0.05

# Strict GB18030 decoding accepts almost any double-byte text, including Big5 and
# Shift-JIS. Text that really is GBK/GB18030 keeps nearly all of its non-ASCII characters
# inside GB2312 (the two sample reports: 100% and 99.98%); Big5 misread as GBK gives 36%,
# Shift-JIS 0.5%. Below this share the decode is distrusted and charset-normalizer asked.
_MIN_GB2312_SHARE = 0.9

# UTF-16 without a BOM (saved by some Windows tools) shows its NUL bytes on one side only:
# the high byte of every ASCII character (line breaks, digits). Chinese text has a NUL
# on every line at least; binary files have NULs at both byte positions. A file counts as
# UTF-16 when this share of its NULs sits at one parity (odd offsets for little-endian).
_MIN_UTF16_NUL_PARITY = 0.95
# ... and when the decoded text is made of assigned, non-private characters; decoded
# binary lands in unassigned and private-use code points (category Cn / Co) often.
_MAX_UTF16_ODD_CHAR_SHARE = 0.02


def read_plain(data: bytes, filename: str) -> str:
    return decode_text(data, filename)


def decode_text(data: bytes, filename: str) -> str:
    """Decode text bytes of unknown encoding: BOMs, strict UTF-8, GB18030, then detection."""
    text = _decode_by_bom(data)
    if text is None and b"\x00" in data:
        # NUL never occurs in UTF-8 or GB text: UTF-16 without BOM, or binary.
        text = _decode_utf16_without_bom(data)
        if text is None:
            raise ReadError(filename, "不是文本文件（检测到二进制内容）")
    if text is None:
        text = _decode_strict(data)
    if text is None:
        text = _decode_detected(data)
    if text is None:
        raise ReadError(filename, "无法识别文件编码")
    if _looks_binary(text):
        raise ReadError(filename, "不是文本文件（检测到二进制内容）")
    return text.removeprefix("\ufeff")


def _decode_by_bom(data: bytes) -> str | None:
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text told apart from binary by where its NUL bytes are."""
    if len(data) % 2:
        return None
    odd = sum(1 for i in range(1, len(data), 2) if data[i] == 0)
    even = sum(1 for i in range(0, len(data), 2) if data[i] == 0)
    nuls = odd + even
    if odd >= _MIN_UTF16_NUL_PARITY * nuls:
        encoding = "utf-16-le"
    elif even >= _MIN_UTF16_NUL_PARITY * nuls:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    odd_chars = sum(1 for ch in text if unicodedata.category(ch) in ("Cn", "Co") or ch == "\x00")
    if odd_chars > _MAX_UTF16_ODD_CHAR_SHARE * len(text):
        return None
    log.info("decoded as %s without BOM", encoding)
    return text


def _decode_strict(data: bytes) -> str | None:
    """UTF-8 first: GBK bytes are almost never valid UTF-8, the reverse is common."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _gb2312_share(text) >= _MIN_GB2312_SHARE else None


def _gb2312_share(text: str) -> float:
    wide = [ch for ch in text if not ch.isascii() and not ch.isspace()]
    if not wide:
        return 1.0
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return common / len(wide)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode_detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        log.debug("charset-normalizer found no encoding")
        return None
    log.info("encoding detected by charset-normalizer: %s", best.encoding)
    return str(best)


def _looks_binary(text: str) -> bool:
    bad = sum(1 for ch in text if ch == "\ufffd" or _is_control(ch))
    return bad > _MAX_CONTROL_SHARE * len(text)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"
