"""Which reader takes a file: by its first bytes, then its name. Refuses what no reader takes.

Rule source: DESIGN.md, "Reading a published document" → Formats. A .doc,
.pdf, image or archive is refused with a message naming the formats that work.
"""

import io
import zipfile

from django.utils.translation import gettext, gettext_noop

from .draft import DocumentError

MAX_BYTES = 10 * 1024 * 1024  # 10 MB: a year's plan, even as a Word file with pictures, is far smaller
# What a .docx/.xlsx may unpack to: ten times the file limit is more than any plan, and keeps a
# small file that unpacks to gigabytes (a zip bomb) from being read into memory.
MAX_UNPACKED_BYTES = 10 * MAX_BYTES
WORKING_FORMATS = gettext_noop(
    "文本（.txt，UTF-8/GBK/Big5/UTF-16）、Word（.docx）、Excel（.xlsx/.xls）、CSV（.csv）或直接粘贴文字"
)
_MAGIC = [
    (b"%PDF", gettext_noop("PDF 文件")),
    (b"\x89PNG", gettext_noop("图片")),
    (b"\xff\xd8\xff", gettext_noop("图片")),
    (b"GIF8", gettext_noop("图片")),
    (b"BM", gettext_noop("图片")),
    (b"II*\x00", gettext_noop("图片")),
    (b"MM\x00*", gettext_noop("图片")),
    (b"Rar!", gettext_noop("压缩包")),
    (b"7z\xbc\xaf", gettext_noop("压缩包")),
    (b"\x1f\x8b", gettext_noop("压缩包")),
    (b"{\\rtf", gettext_noop("RTF 文件")),
]


def kind_of(data: bytes, filename: str) -> str:
    """ "docx", "xlsx", "xls", "csv" or "text" for ``data`` named ``filename``.

    Raises DocumentError (no line) for an empty or oversized file, and for
    formats no reader takes, naming the ones that work: a legacy Word file
    (.doc/.wps) is told to be saved as .docx, an OpenDocument file as
    .docx/.xlsx, a password-protected Office file to have its password removed.
    """
    name = filename.lower()
    if not data.strip():
        raise DocumentError(gettext("文件是空的"))
    if len(data) > MAX_BYTES:
        raise DocumentError(
            gettext("文件大小 %(size).1f MB，超过上限 %(limit)d MB")
            % {"size": len(data) / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _compound_kind(data, name)
    for magic, label in _MAGIC:
        if data.startswith(magic) or (label == gettext_noop("图片") and data[8:12] == b"WEBP"):
            raise DocumentError(
                gettext("不能导入%(what)s。可导入：%(formats)s") % {"what": gettext(label), "formats": _formats()}
            )
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if name.endswith((".doc", ".wps", ".pdf", ".xls", ".et", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".odt", ".ods")):
        raise DocumentError(
            gettext("不支持 %(suffix)s 文件。可导入：%(formats)s")
            % {"suffix": name.rsplit(".", 1)[-1], "formats": _formats()}
        )
    if name.endswith((".docx", ".xlsx")):  # neither a zip nor an OLE file: not what its name says
        raise DocumentError(
            gettext(
                "文件名是 %(suffix)s，但内容不是 Word 或 Excel 文件（可能已损坏，或扩展名被改过）。可导入：%(formats)s"
            )
            % {"suffix": name.rsplit(".", 1)[-1], "formats": _formats()}
        )
    return "csv" if name.endswith((".csv", ".tsv")) else "text"


def _formats() -> str:
    return gettext(WORKING_FORMATS)


def _compound_kind(data: bytes, name: str) -> str:
    """An OLE compound file (what Office saved before 2007, and what it wraps an encrypted file in): "xls", or refused.

    Told by the streams it names (UTF-16 in its directory), not by the file's name.
    """

    def holds(stream: str) -> bool:  # a directory entry: the name in UTF-16, then a NUL
        return (stream + "\0").encode("utf-16-le") in data

    if holds("EncryptedPackage"):
        raise DocumentError(
            gettext(
                "文件设有打开密码（已加密），无法读取。请在 Excel/Word 中打开，"
                "在“文件 → 信息 → 保护”中删除密码并保存后再导入"
            )
        )
    if not holds("WordDocument") and (holds("Workbook") or holds("Book") or name.endswith((".xls", ".et"))):
        return "xls"
    raise DocumentError(
        gettext("这是旧版 Word 文件（.doc/.wps），请在 Word 或 WPS 中另存为 .docx 后再导入。可导入：%(formats)s")
        % {"formats": _formats()}
    )


def _zip_kind(data: bytes) -> str:
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise DocumentError(gettext("文件已损坏，无法打开。可导入：%(formats)s") % {"formats": _formats()}) from None
    names = {entry.filename for entry in entries}
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise DocumentError(
            gettext("文件解压后超过 %(limit)d MB，不像一份工作要点，未读取")
            % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}
        )
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and "content.xml" in names:  # .odt / .ods, as LibreOffice and WPS save by default
        raise DocumentError(
            gettext("这是 OpenDocument 文件（.odt/.ods），请另存为 .docx 或 .xlsx 后再导入。可导入：%(formats)s")
            % {"formats": _formats()}
        )
    raise DocumentError(gettext("不能导入压缩包或其他 Office 格式。可导入：%(formats)s") % {"formats": _formats()})
