"""Which file types are read, and what to tell the user about the ones that are not."""
from __future__ import annotations

from pathlib import PurePath

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".xlsx", ".pdf", ".html", ".htm")

# Formats people put into a report folder that cannot be read as they are: what to do.
# Each message is shown to the user as it is, after the file name.
_ADVICE = {
    ".doc": ".doc 为旧版 Word 格式，请另存为 .docx 后放入",
    ".wps": ".wps 为 WPS 文字格式，请在 WPS 中另存为 .docx 后放入",
    ".rtf": ".rtf 格式不能直接读取，请另存为 .docx 后放入",
    ".odt": ".odt 格式不能直接读取，请另存为 .docx 后放入",
    ".xls": ".xls 为旧版 Excel 格式，请另存为 .xlsx 后放入",
    ".et": ".et 为 WPS 表格格式，请另存为 .xlsx 后放入",
    ".ods": ".ods 格式不能直接读取，请另存为 .xlsx 后放入",
    ".csv": ".csv 表格请用 Excel 另存为 .xlsx 后放入",
    ".ofd": ".ofd 为版式文件，请用 OFD 阅读器导出为 PDF（带文字层）或 .docx 后放入",
    ".ppt": "演示文稿不能读取，请把报告正文另存为 .docx 或 PDF 后放入",
    ".pptx": "演示文稿不能读取，请把报告正文另存为 .docx 或 PDF 后放入",
    ".zip": "压缩包需先解压，把其中的报告文件放入报告目录",
    ".rar": "压缩包需先解压，把其中的报告文件放入报告目录",
    ".7z": "压缩包需先解压，把其中的报告文件放入报告目录",
    ".tar": "压缩包需先解压，把其中的报告文件放入报告目录",
    ".gz": "压缩包需先解压，把其中的报告文件放入报告目录",
}
_IMAGE_ADVICE = "图片需先做文字识别（OCR），把识别出的文字存为 .docx 或 .txt 后放入"
for _suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".heic"):
    _ADVICE[_suffix] = _IMAGE_ADVICE


def suffix_of(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def is_supported(filename: str) -> bool:
    return suffix_of(filename) in SUPPORTED_EXTENSIONS


def conversion_advice(filename: str) -> str | None:
    """What to do with a known but unreadable format (.doc, images, archives); None otherwise."""
    return _ADVICE.get(suffix_of(filename))


def unsupported_message(filename: str) -> str:
    """The Chinese message for a file whose type no reader handles."""
    suffix = suffix_of(filename)
    shown = suffix or "（无扩展名）"
    supported = f"支持 {' '.join(SUPPORTED_EXTENSIONS)}"
    advice = conversion_advice(filename)
    if advice:
        return f"不支持的文件类型：{shown}。{advice}（{supported}）"
    return f"不支持的文件类型：{shown}（{supported}）"
