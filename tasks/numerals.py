"""Chinese numerals as used in section and item numbering (一、 … 二十一、)."""

_DIGITS = "零一二三四五六七八九"
_VALUES = {ch: i for i, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}


def chinese_to_int(text: str) -> int:
    """Read a Chinese numeral from 一 to 九十九 ("十二", "二十一") as an int.

    Raises ValueError for anything else, including an empty string.
    """
    if not text or any(ch not in _VALUES and ch != "十" for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return _VALUES[text]
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return (_VALUES[tens] if tens else 1) * 10 + (_VALUES[units] if units else 0)


def int_to_chinese(number: int) -> str:
    """Write 1 … 99 as a Chinese numeral (1 → 一, 10 → 十, 21 → 二十一).

    Raises ValueError outside 1 … 99.
    """
    if not 1 <= number <= 99:
        raise ValueError(f"{number} is outside 1 … 99")
    tens, units = divmod(number, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")
