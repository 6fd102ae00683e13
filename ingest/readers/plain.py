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

# UTF-16 without a BOM (saved by some Windows tools) has NUL bytes, as binary files do. It
# is told apart by decoding both byte orders: real text is then almost all CJK, ASCII,
# punctuation and whitespace; the wrong byte order or binary spread over the whole BMP
# (CJK ideographs are a third of it). The share below is what a text must reach.
_MIN_UTF16_TEXT_SHARE = 0.95
_TEXT_RANGES = (
    (0x0009, 0x000D), (0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x214F),
    (0x2150, 0x218F), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
)


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
    """UTF-16 text of either byte order told apart from binary by what it decodes to."""
    if len(data) % 2:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _text_share(text)
        if share > best_share:
            best, best_share = (encoding, text), share
    if best is None or best_share < _MIN_UTF16_TEXT_SHARE:
        return None
    log.info("decoded as %s without BOM", best[0])
    return best[1]


def _text_share(text: str) -> float:
    if not text:
        return 0.0
    inside = sum(1 for ch in text if any(low <= ord(ch) <= high for low, high in _TEXT_RANGES))
    return inside / len(text)


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
