"""The importer on whole published documents of the genre, each with the facts a clerk would check beside it.

Every file in ``documents/`` (text in several encodings, .docx numbered by Word's
own lists or holding the task table, .xlsx with merged cells, GBK .csv) has a
``<file>.json`` next to it: title, year, issuer, published date, section titles
and, per item, the printed number, title, a phrase of its body, deadline,
milestones (phrase → date), cadence and the lead / responsible / supporting
units. A key left out of the JSON is a fact the document does not settle;
``options`` are the command line's (``--title`` for a table without a title).
``@districts`` stands for the ten districts of the reference catalogue (a
collective phrase such as 各区（县、市））. ``"sections": []`` is a plan without
parts: its items go under one section named after the plan.
"""

import json
import pathlib

import pytest

DOCUMENTS = pathlib.Path(__file__).parent / "documents"
EXPECTED = sorted(DOCUMENTS.glob("*.json"))
DISTRICTS = ["海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"]


def _names(names: list[str]) -> list[str]:
    return [n for name in names for n in (DISTRICTS if name == "@districts" else [name])]


def _item_facts(item: dict) -> dict:
    """The facts of one item of ``import_workplan --dry-run --json``, in the expected JSON's terms."""
    by_role = {
        role: [d["name"] for d in item["departments"] if d["role"] == role]
        for role in ("lead", "responsible", "supporting")
    }
    return {
        "label": item["label"],
        "title": item["title"],
        "body": item["title"] + item["body"],
        "deadline": item["deadline"],
        "milestones": sorted([m["phrase"], m["due"]] for m in item["milestones"]),
        "cadence": item["cadence"],
        "lead": by_role["lead"],
        "responsible": sorted(by_role["responsible"]),
        "supporting": sorted(by_role["supporting"]),
    }


def compare(plan: dict, expected: dict) -> tuple[int, list[str]]:
    """(number of facts checked, the ones that came out wrong as 'fact: got … expected …')."""
    wrong = []
    checked = 0

    def check(fact, got, want):
        nonlocal checked
        checked += 1
        if got != want:
            wrong.append(f"{fact}: got {got!r}, expected {want!r}")

    for key in ("title", "year", "issuer", "published_on"):
        if key in expected:
            check(key, plan[key], expected[key])
    check("sections", [s["title"] for s in plan["sections"]], expected["sections"] or [plan["title"]])
    items = [item for section in plan["sections"] for item in section["tasks"]]
    check("item count", len(items), len(expected["items"]))
    for n, (want, item) in enumerate(zip(expected["items"], items, strict=False), 1):
        got = _item_facts(item)
        for key, value in want.items():
            if key == "body":
                check(f"item {n} body", value in got["body"], True)
            elif key == "body_excludes":
                check(f"item {n} body excludes {value}", value in got["body"], False)
            elif key == "milestones":
                check(f"item {n} milestones", got[key], sorted(value))
            elif key in ("responsible", "supporting"):
                check(f"item {n} {key}", got[key], sorted(_names(value)))
            elif key == "lead":
                check(f"item {n} lead", got[key], _names(value))
            else:
                check(f"item {n} {key}", got[key], value)
    return checked, wrong


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.removesuffix(".json"))
def test_published_document(expected_path, dry_run):
    document = expected_path.with_suffix("")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    plan = dry_run(document.read_bytes(), document.name, *expected.get("options", []))

    checked, wrong = compare(plan, expected)

    assert wrong == [], f"{len(wrong)} of {checked} facts wrong"
