"""import_workplan on the real 2021 Ningbo document."""

import io
import json
import re

from django.core.management import call_command

from departments.models import Department
from tasks.models import Assignment, Milestone, Task, Workplan

from ...conftest import SEED_2021

ALL_DISTRICTS = {"海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"}


def dry_run_json() -> dict:
    out = io.StringIO()
    call_command("import_workplan", str(SEED_2021), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def first_sentences() -> dict[int, str]:
    """Each numbered item's first sentence, read straight off the published text."""
    text = SEED_2021.read_text(encoding="utf-8")
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\s*(\d+)\.([^。\n]+)。", text, re.MULTILINE)}


def tasks_by_number(plan: dict) -> dict[int, dict]:
    return {task["number"]: task for section in plan["sections"] for task in section["tasks"]}


def test_dry_run_reads_four_sections_and_21_items_on_a_fresh_database(db):
    plan = dry_run_json()

    assert plan["year"] == 2021
    assert plan["title"] == "2021年宁波市人防工作要点"
    assert plan["published_on"] == "2021-03-16"
    assert [s["ordinal"] for s in plan["sections"]] == [1, 2, 3, 4]
    assert plan["sections"][1]["title"].startswith("坚持战斗力标准")
    assert [len(s["tasks"]) for s in plan["sections"]] == [3, 7, 6, 5]
    titles = {number: task["title"] for number, task in tasks_by_number(plan).items()}
    assert titles == first_sentences()
    assert len(titles) == 21


def test_dry_run_writes_nothing(db):
    dry_run_json()

    assert not Workplan.objects.exists()
    assert not Task.objects.exists()
    assert not Department.objects.exists()


def test_the_dry_run_names_the_parts_as_the_document_does(db):
    out = io.StringIO()
    call_command("import_workplan", str(SEED_2021), "--dry-run", stdout=out)
    headings = [line for line in out.getvalue().splitlines() if line[:2] in ("一、", "二、", "三、", "四、")]
    assert [line[:2] for line in headings] == ["一、", "二、", "三、", "四、"]  # not [1] [2] …


def test_items_with_time_phrases_carry_milestones(db):
    tasks = tasks_by_number(dry_run_json())

    with_milestones = {n for n, t in tasks.items() if t["milestones"]}
    assert with_milestones == {4, 6, 10, 15, 19}
    assert [(m["phrase"], m["due"]) for m in tasks[6]["milestones"]] == [
        ("上半年", "2021-06-30"),
        ("10月底前", "2021-10-31"),
    ]
    assert tasks[6]["deadline"] == "2021-10-31"
    assert tasks[6]["deadline_phrase"] == "10月底前"
    assert [(m["phrase"], m["due"]) for m in tasks[4]["milestones"]] == [("下半年", "2021-12-31")]
    assert tasks[4]["milestones"][0]["description"] == "下半年,组织召开全市人防指挥部指挥长会议"
    for number in (10, 15, 19):
        assert tasks[number]["milestones"][0]["phrase"] == "年内"
        assert tasks[number]["deadline"] == "2021-12-31"


def test_items_without_a_phrase_are_due_at_year_end(db):
    tasks = tasks_by_number(dry_run_json())

    for number, task in tasks.items():
        if not task["milestones"]:
            assert task["deadline"] == "2021-12-31", number
            assert task["deadline_phrase"] is None


def test_districts_named_in_the_text_are_assigned(db):
    tasks = tasks_by_number(dry_run_json())

    def responsible(number):
        return {d["name"] for d in tasks[number]["departments"] if d["role"] == "responsible"}

    for task in tasks.values():
        assert task["lead_department"] == "宁波市人民防空办公室"
    assert "鄞州区" in responsible(8)
    assert responsible(14) == {"北仑区", "余姚市", "梅山保税港区", "奉化区"}
    assert responsible(9) == ALL_DISTRICTS
    assert responsible(6) == {"江北区", "北仑区"}
    assert responsible(1) == set()


def test_import_writes_the_plan(departments):
    out = io.StringIO()
    call_command("import_workplan", str(SEED_2021), stdout=out)

    plan = Workplan.objects.get()
    assert (plan.title, plan.year, str(plan.published_on)) == ("2021年宁波市人防工作要点", 2021, "2021-03-16")
    assert Task.objects.filter(section__workplan=plan).count() == 21
    assert Milestone.objects.count() == 6
    item8 = Task.objects.get(number=8)
    assert item8.lead_department.name == "宁波市人民防空办公室"
    assert item8.assignments.filter(department__short_name="鄞州", role=Assignment.Role.RESPONSIBLE).exists()
    assert "21 项任务" in out.getvalue()


def test_import_on_an_empty_database_loads_the_reference_departments(db):
    call_command("import_workplan", str(SEED_2021), stdout=io.StringIO())

    assert Department.objects.count() == 14
    assert Task.objects.get(number=9).assignments.count() == 11


def test_importing_again_duplicates_nothing_and_keeps_office_corrections(plan_2021):
    item14 = Task.objects.get(number=14)
    item14.assignments.filter(department__short_name="梅山").delete()
    item14.assignments.filter(role=Assignment.Role.LEAD).update(role=Assignment.Role.RESPONSIBLE)
    item14.assignments.filter(department__short_name="北仑").update(role=Assignment.Role.LEAD)
    counts = (Workplan.objects.count(), Task.objects.count(), Assignment.objects.count(), Milestone.objects.count())

    out = io.StringIO()
    call_command("import_workplan", str(SEED_2021), stdout=out)

    assert "未变 21" in out.getvalue()
    # 梅山 comes back (the document names it); the office's choice of lead stays.
    assert (Workplan.objects.count(), Task.objects.count(), Milestone.objects.count()) == counts[:2] + counts[3:]
    assert Assignment.objects.count() == counts[2] + 1
    assert item14.lead_department.short_name == "北仑"
    assert Task.history.filter(number=14).count() == 1
