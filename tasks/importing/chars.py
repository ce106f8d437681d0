"""Character folding for reading documents: traditional to simplified for the words the readers look for.

Only characters that occur in the readers' keywords (titles, annotations, time
and cadence words, unit suffixes) are folded, one character for one, so an
offset in the folded text is the same offset in the original. The original text
is what the office sees and what is stored.
"""

_TRADITIONAL = (
    "點劃計畫務單責牽頭協參與關於發門區縣進況時間內辦委員會廳處組織領導實現開創設總體標續常態態長"
    "規範議報導組織傳華東區層級質監檢強貫徹執稱號項並應當專類屬將達課題種醫療衛經濟產業財稅勞動資源環境護"
    "節約調動機構編製級數據網絡業務請認真現給們經過審議"
)
_SIMPLIFIED = (
    "点划计画务单责牵头协参与关于发门区县进况时间内办委员会厅处组织领导实现开创设总体标续常态态长"
    "规范议报导组织传华东区层级质监检强贯彻执称号项并应当专类属将达课题种医疗卫经济产业财税劳动资源环境护"
    "节约调动机构编制级数据网络业务请认真现给们经过审议"
)
_TABLE = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def fold(text: str) -> str:
    """``text`` with traditional characters of the readers' keywords made simplified; same length, same offsets."""
    return text.translate(_TABLE)
