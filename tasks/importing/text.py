"""Decoding a text document: UTF-8 (BOM or not), UTF-16, GBK/GB18030 and Big5, any line ending.

Rule source: DESIGN.md, "Reading a published document" → Formats.
"""

import codecs
import re

from django.utils.translation import gettext

from .draft import DocumentError

# Characters common in any plan, simplified and traditional: the decoding that
# yields more of them is the right one when GB18030 and Big5 both decode.
_COMMON = set("的一是在工作年月日和要点點人市区區县縣局单單位责責任推进進建设設完成开開展加强強全面落实實管理")
_SENTENCE_END = "。！？；：:"


def decode_text(data: bytes) -> str:
    """Decode a text document into a str with LF line endings.

    A Word manual line break (\\x0b) inside a sentence joins the two halves; at
    a sentence end it ends the paragraph. Raises DocumentError naming the line
    of a NUL byte (a binary file) or of the first byte that no supported
    encoding reads.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError(gettext("文件以 UTF-16 标记开头，但内容无法按 UTF-16 读取")) from None
    else:
        text = _decode_8bit(data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(?<=[" + _SENTENCE_END + r"])\x0b", "\n", text).replace("\x0b", "")
    return text.replace("\x0c", "\n")


def _decode_8bit(data: bytes) -> str:
    nul = data.find(b"\x00")
    if nul != -1:
        raise DocumentError(gettext("文件含有 NUL 字节，不是文本文件"), data[:nul].count(b"\n") + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        readings = []
        for encoding in ("gb18030", "big5"):
            try:
                readings.append(data.decode(encoding))
            except UnicodeDecodeError:
                continue
        if not readings:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise DocumentError(gettext("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030 或 Big5"), line) from None
        return max(readings, key=lambda text: sum(ch in _COMMON for ch in text))
