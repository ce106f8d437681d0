"""Which departments a document names: the catalogue, its aliases and its collective phrases.

Rule source: DESIGN.md, "Reading a published document" → Departments. Names are
matched by full name, short name or alias (市人防办 = 宁波市人民防空办公室);
collective phrases (各区县(市), 市县两级, 各街道) stand for the units the office
listed for them in the admin. Both are data (departments.DepartmentAlias,
departments.CollectivePhrase), so a plan from another city imports without a
code change. A name the catalogue does not know is kept as written, for the
office to create or map in the preview.
"""

import re
from dataclasses import dataclass, field

from departments.models import Department

from .chars import fold

# After a district's short name inside running text, only these may follow for it
# to name the district (鄞州、北仑要先行; 宁海人防办) — 镇海炼化 is a company, not 镇海区.
_WORD_END = re.compile(
    r"$|[区县市、，,。；;：:和与及等要在的已将各也都分共两（()）“”\"'\s]|人防|人民|政府|党委|继续|率先|先行|试点"
)


# What may follow a district's name in a unit name that still stands for the district.
_OWN_OFFICE = re.compile(r"[区县市]?(?:人民政府|政府|人防办|人防|党委|党委政府|管委会|委员会)?")
# How the name of a unit ends (市交通委, 各县市区政府, 临空经济区(空港新城)事务中心; in a bureau's own
# plan its 科室 and 专班: 投资科, 综合室, 工作专班).
UNIT_END = re.compile(
    r"(?:局|委|办|办公室|中心|政府|部|厅|处|科|股|室|组|专班|院|所|站|队|会|公司|集团|单位|部门|街道|镇|乡|区|县|市|[)）])$"
)
# 市发改委和市财政局, 市财政局及各区县（市）: two names joined by a word (not 市规划和自然资源局).
_JOINED = re.compile(r"(?:以及|及|和|与)")
# The districts under their level words only: 各县（区）, 各区、县（市）政府, 各县市区 (normalised).
_DISTRICT_LEVELS = re.compile(r"各?([区县市()]{1,9})(?:人民政府|政府|党委政府|党委|人防办|人防部门)?")
# A collective the office has not listed units for: 各有关单位, 各镇（街道）, 有关部门, 各成员单位,
# 相关街道, 有关区县 (no unit's own name starts with 有关/相关), and 各 after a few words (机关各支部,
# 市直各部门, 区级各单位).
_COLLECTIVE = re.compile(r"^[^各]{0,4}各|^(?:其他|其它)?(?:有关|相关)")
# A list piece that only continues the collective before it: 各区、县（市）, 各县、市、区, and
# 各区、县（市）数据资源局 (level words, then the office they all have).
_LEVEL_PIECE = re.compile(
    r"[区县市镇乡]|街道|[区县市镇乡](?:[（(][区县市镇乡街道、]+[）)])?(?:人民政府|政府|党委)?"
    r"|[区县市镇乡][（(][区县市镇乡街道、]+[）)]\S+"
)


def normalise(name: str) -> str:
    """A name for comparison: traditional folded, brackets half-width, spaces and 、 dropped."""
    return re.sub(r"[\s、]", "", fold(name)).replace("（", "(").replace("）", ")")


@dataclass
class Catalogue:
    """The departments a document can name, with the aliases and collective phrases the office keeps.

    ``aliases`` maps a normalised alias to its department; ``phrases`` maps a
    normalised collective phrase to the departments it stands for.
    """

    departments: list[Department]
    aliases: dict[str, Department] = field(default_factory=dict)
    phrases: dict[str, list[Department]] = field(default_factory=dict)

    def __post_init__(self):
        self.office = next((d for d in self.departments if d.is_municipal_office), None)
        self._by_name: dict[str, Department] = dict(self.aliases)
        for department in self.departments:
            self._by_name.setdefault(normalise(department.name), department)
            if department.short_name:
                self._by_name.setdefault(normalise(department.short_name), department)
        self._local = [d for d in self.departments if d.level != Department.Level.MUNICIPAL]
        # The longest phrase first, so 各区（县、市） wins over 区（县、市）.
        self._phrases = sorted(self.phrases.items(), key=lambda item: -len(item[0]))
        self._districts = next(
            (members for phrase, members in self._phrases if re.fullmatch(r"[区县市()]+", phrase)), []
        )

    @classmethod
    def load(cls) -> "Catalogue":
        """The catalogue in the database (or the reference fixture on an empty one); see departments.selectors."""
        from departments.selectors import department_catalogue, naming_data

        departments = department_catalogue()
        aliases, phrases = naming_data(departments)
        return cls(
            departments,
            {normalise(alias): department for alias, department in aliases.items()},
            {normalise(phrase): members for phrase, members in phrases.items()},
        )

    def named(self, name: str) -> list[tuple[str, bool]]:
        """The departments one name in an annotation or table cell stands for, as (name, known) pairs.

        A collective phrase gives all its members, and the districts named by
        their level words only (各县（区）, 各区、县（市）政府) those of the office's
        district phrase (区县(市)); a known name, short name or alias gives the
        catalogue's full name, also with another name of the unit in brackets
        after it (市人防办（民防局）); a collective the office listed no units
        for (各有关单位, 各镇（街道）) gives none (see :meth:`is_unplaced`);
        anything else comes back as written with known=False. ``name`` is one
        name, already split from its neighbours (see :func:`split_names`).
        """
        name = re.sub(r"(?:等|等单位|等部门|等相关单位|按职责分工)$", "", name.strip(" ：:，,。；;"))
        key = normalise(name)
        if not key:
            return []
        for phrase, members in self._phrases:
            if phrase in key:
                return [(d.name, True) for d in members]
        department = self._by_name.get(key)
        levels = _DISTRICT_LEVELS.fullmatch(key)
        if department is None and self._districts and levels and (key[0] == "各" or len(levels.group(1)) > 1):
            return [(d.name, True) for d in self._districts]
        if department is None and self.is_unplaced(name):
            return []
        department = department or self._by_prefix(key)
        other_name = re.fullmatch(r"(.{2,}?)\(([^()]{2,})\)", key)  # 市人防办(民防局)
        if department is None and other_name:
            department = self._by_name.get(other_name.group(1)) or self._by_name.get(other_name.group(2))
        return [(department.name, True)] if department else [(name, False)]

    def is_unplaced(self, name: str) -> bool:
        """True for a collective (各有关单位, 各镇（街道）, 有关部门) that stands for no unit the office listed.

        It is no department to create: the office names the units in the preview,
        or lists them for the phrase in the admin (单位统称).
        """
        key = normalise(name)
        return bool(_COLLECTIVE.search(key)) and not any(phrase in key for phrase, _ in self._phrases)

    def _by_prefix(self, key: str) -> Department | None:
        """鄞州区政府, 北仑区人防办: a district's name with its own office after it stands for the district.

        Anything else after the name (镇海炼化, a company) is another unit.
        """
        for department in self._local:
            short = normalise(department.short_name or department.name)
            if key.startswith(short) and _OWN_OFFICE.fullmatch(key[len(short) :]):
                return department
        return None

    def mentioned(self, text: str) -> list[Department]:
        """Districts and zones running text names (by name, or by short name ending a word), plus collective phrases."""
        folded = normalise(text)
        found: set[Department] = set()
        for phrase, members in self._phrases:
            if phrase in folded:
                found.update(members)
        for department in self._local:
            short = department.short_name
            if department.name in text or (short and _names_word(text, short, department.level)):
                found.add(department)
        return [d for d in self.departments if d in found]


def _names_word(text: str, short_name: str, level: str) -> bool:
    """True when ``short_name`` occurs in ``text`` naming its unit.

    A district's short name counts as a word of its own or one of a list
    (not 镇海 in 镇海炼化); a zone's anywhere (东钱湖交通集散中心 is the zone's project).
    """
    start = text.find(short_name)
    while start != -1:
        end = start + len(short_name)
        listed = start > 0 and text[start - 1] in "、，,"  # 梅山、奉化继续推进: one of a list of places
        if level != Department.Level.DISTRICT or short_name[-1] in "区县市" or listed or _WORD_END.match(text, end):
            return True
        start = text.find(short_name, end)
    return False


_OPEN, _CLOSE = "（([【", "）)]】"


def split_names(text: str) -> list[str]:
    """Split a list of names at 、，,；; spaces and line breaks outside brackets.

    A collective stays one name: 各区（县、市）, and 各区、县（市）政府 or 各县、市、区
    (a piece of level words only goes on the 各 name before it). Names joined by
    和/及/与 after a whole unit's name are split (市发改委和市财政局), not inside one
    (市规划和自然资源局).
    """
    joined: list[str] = []
    for piece in (piece for name in split_outside_brackets(text) for piece in _unjoined(name.strip())):
        if joined and joined[-1].startswith("各") and _LEVEL_PIECE.fullmatch(piece):
            joined[-1] += "、" + piece  # 各区、县（市）政府 is one collective, not 各区 and 县（市）政府
        elif piece:
            joined.append(piece)
    return joined


def split_outside_brackets(text: str, marks: str = "、，,；;/ \n\t　") -> list[str]:
    """``text`` cut at each of ``marks`` that stands outside brackets (not inside 各区（县、市）); pieces unstripped."""
    pieces, depth, current = [], 0, []
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        if depth == 0 and char in marks:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _unjoined(name: str) -> list[str]:
    """市发改委和市财政局 → 市发改委, 市财政局: split where 和/及/与 follows a whole unit's name."""
    for match in _JOINED.finditer(name):
        before, after = name[: match.start()], name[match.end() :]
        if len(before) >= 3 and UNIT_END.search(before) and len(after) >= 2:
            return [before, *_unjoined(after)]
    return [name]
