"""The importer on other documents of the genre: other numbering, annotations, encodings."""

import io
import json

import pytest
from django.core.management import call_command

from departments.models import Department
from tasks.models import Assignment, Task

# Sections 一、, items （一） restarting in every section, annotations naming
# departments outside the catalogue, a collective phrase among them.
ANNOTATED = """\
杭州市2022年人防工作要点

一、强化指挥体系建设
（一）推进指挥所建设。一季度完成选址论证，6月15日前开工。（牵头单位：市人防办；责任单位：市发改委、各区县(市)；配合单位：市财政局）
（二）完善方案计划。全年滚动修订。（责任单位：鄞州区）
二、抓好工程建设
（一）加强质量监管。开展专项检查，三季度末前形成报告。（牵头单位：市住房和城乡建设局；配合单位：市人防办）
"""

# Sections 一、 and items 1、 numbered through; saved on Chinese Windows: GBK, CRLF,
# full-width digits and stops, a BOM-less header and a signature block.
GBK_FULLWIDTH = (
    "首页 > 通知公告\r\n"
    "关于印发《2023年慈溪市人防工作要点》的通知\r\n"
    "发布时间：2023年02月08日\r\n"
    "\r\n"
    "一、加强组织领导\r\n"
    "１、落实责任制。各区县（市）于３月底前报送名单。\r\n"
    "２、开展培训。下半年组织全员轮训。\r\n"
    "二、推进重点工作\r\n"
    "３．建设疏散基地。余姚、慈溪各建一处，年底前投用。\r\n"
    "    疏散基地建成后组织验收。\r\n"
    "责任编辑：张三\r\n"
    "4. 这一行在页脚之后，不是事项。\r\n"
)

# No sections at all: items (1) (2) (3) straight under the title.
PLAIN_ITEMS = """\
2024年象山县人防重点工作任务
(1)开展防空警报试鸣。9月18日前完成警报器检修
(2)组织人防宣传进社区。上半年完成
(3)推进人防工程维护管理。象山县、宁海县负责
"""


def parse(tmp_path, text, encoding="utf-8", *extra) -> dict:
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode(encoding))
    out = io.StringIO()
    call_command("import_workplan", str(path), "--dry-run", "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_paren_items_with_annotations(tmp_path, departments):
    plan = parse(tmp_path, ANNOTATED)

    assert plan["year"] == 2022
    assert [(s["ordinal"], s["title"]) for s in plan["sections"]] == [(1, "强化指挥体系建设"), (2, "抓好工程建设")]
    first, second = plan["sections"][0]["tasks"]
    assert (first["number"], first["title"]) == (1, "推进指挥所建设")
    assert first["lead_department"] == "宁波市人民防空办公室"
    roles = {d["name"]: d["role"] for d in first["departments"]}
    assert roles["市发改委"] == "responsible"
    assert roles["市财政局"] == "supporting"
    assert roles["海曙区"] == roles["象山县"] == "responsible"
    assert len(roles) == 13  # office, 发改委, ten districts, 财政局
    assert [(m["phrase"], m["due"]) for m in first["milestones"]] == [
        ("一季度", "2022-03-31"),
        ("6月15日前", "2022-06-15"),
    ]
    assert first["deadline"] == "2022-06-15"
    # An annotation overrides the guess: 鄞州 only, the office still leads.
    assert [(d["name"], d["role"]) for d in second["departments"]] == [
        ("宁波市人民防空办公室", "lead"),
        ("鄞州区", "responsible"),
    ]
    assert second["deadline_phrase"] == "全年"
    # Numbering restarts in section 二: item （一） there keeps its printed label, numbered on through the plan.
    third = plan["sections"][1]["tasks"][0]
    assert (third["number"], third["label"]) == (3, "（一）")
    assert third["lead_department"] == "市住房和城乡建设局"
    assert third["milestones"][0]["due"] == "2022-09-30"


def test_the_units_read_from_an_annotation_are_not_left_in_the_items_text(tmp_path, departments):
    plan = parse(
        tmp_path,
        "2022年某市人防工作要点\n一、重点任务\n"
        "1.推进指挥所建设。一季度完成选址论证，6月15日前开工。（牵头单位：市人防办；配合单位：市财政局）\n"
        "2.完善方案计划。全年滚动修订（由各地自行组织）。\n责任单位：鄞州区\n",
    )
    first, second = plan["sections"][0]["tasks"]
    assert first["body"] == "一季度完成选址论证，6月15日前开工。"
    assert {d["name"] for d in first["departments"]} == {"宁波市人民防空办公室", "市财政局"}
    assert second["body"] == "全年滚动修订（由各地自行组织）。"  # an aside in brackets is the text's own
    assert "鄞州区" in {d["name"] for d in second["departments"]}


def test_gbk_crlf_fullwidth_document(tmp_path, departments):
    plan = parse(tmp_path, GBK_FULLWIDTH, "gbk")

    assert plan["title"] == "2023年慈溪市人防工作要点"  # the plan named in the notice, not the notice
    assert plan["year"] == 2023
    assert plan["published_on"] == "2023-02-08"
    tasks = [t for s in plan["sections"] for t in s["tasks"]]
    assert [t["number"] for t in tasks] == [1, 2, 3]
    assert tasks[0]["deadline"] == "2023-03-31"
    assert len([d for d in tasks[0]["departments"] if d["role"] == "responsible"]) == 10
    assert tasks[1]["milestones"][0]["phrase"] == "下半年"
    assert {d["name"] for d in tasks[2]["departments"]} == {"宁波市人民防空办公室", "余姚市", "慈溪市"}
    assert tasks[2]["body"] == "余姚、慈溪各建一处，年底前投用。\n疏散基地建成后组织验收。"


def test_utf8_bom_and_items_without_sections(tmp_path, departments):
    plan = parse(tmp_path, "\ufeff" + PLAIN_ITEMS)

    assert len(plan["sections"]) == 1
    assert plan["sections"][0]["title"] == "2024年象山县人防重点工作任务"
    tasks = plan["sections"][0]["tasks"]
    assert [t["title"] for t in tasks] == ["开展防空警报试鸣", "组织人防宣传进社区", "推进人防工程维护管理"]
    assert tasks[0]["deadline"] == "2024-09-18"
    assert tasks[0]["body"] == "9月18日前完成警报器检修"
    assert tasks[1]["deadline"] == "2024-06-30"
    assert {d["name"] for d in tasks[2]["departments"]} == {"宁波市人民防空办公室", "象山县", "宁海县"}


def test_year_option_overrides_the_title(tmp_path, departments):
    plan = parse(tmp_path, PLAIN_ITEMS, "utf-8", "--year", "2025")

    assert plan["year"] == 2025
    assert plan["sections"][0]["tasks"][1]["deadline"] == "2025-06-30"


def test_annotated_import_creates_unknown_departments_for_the_office_to_check(tmp_path, departments):
    path = tmp_path / "plan.txt"
    path.write_text(ANNOTATED, encoding="utf-8")
    out = io.StringIO()

    call_command("import_workplan", str(path), stdout=out)

    assert "新建单位：市发改委、市财政局、市住房和城乡建设局" in out.getvalue()
    new = Department.objects.get(name="市发改委")
    assert new.level == Department.Level.MUNICIPAL
    task = Task.objects.get(section__ordinal=2, number=3)
    assert task.lead_department.name == "市住房和城乡建设局"
    assert task.assignments.get(department__is_municipal_office=True).role == Assignment.Role.SUPPORTING


@pytest.mark.parametrize("document", [ANNOTATED, PLAIN_ITEMS])
def test_importing_twice_changes_nothing_the_second_time(tmp_path, departments, document):
    path = tmp_path / "plan.txt"
    path.write_text(document, encoding="utf-8")
    call_command("import_workplan", str(path), stdout=io.StringIO())
    before = (Task.objects.count(), Assignment.objects.count(), Department.objects.count())

    call_command("import_workplan", str(path), stdout=io.StringIO())

    assert (Task.objects.count(), Assignment.objects.count(), Department.objects.count()) == before
