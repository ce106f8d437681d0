"""Departments named in an item: every annotation form, aliases and collective phrases from the admin."""

import pytest

from departments.models import CollectivePhrase, Department, DepartmentAlias

DISTRICTS = {"海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"}


def roles(read, item_text, **options):
    draft = read(f"2023年某市人防工作要点\n一、甲\n1.{item_text}\n", **options)
    return [(d.name, d.role) for d in draft.items[0].departments]


@pytest.mark.parametrize(
    "text",
    [
        "推进建设。（牵头单位：区发改局；责任单位：区财政局；配合单位：区住建局）",
        "推进建设。[牵头单位：区发改局；责任单位：区财政局；配合单位：区住建局]",
        "推进建设。【牵头单位：区发改局；责任单位：区财政局；协办单位：区住建局】",
        "推进建设。\n牵头单位：区发改局\n责任单位：区财政局\n参与单位：区住建局",
    ],
)
def test_annotations_in_every_form(read, text):
    assert roles(read, text) == [("区发改局", "lead"), ("区财政局", "responsible"), ("区住建局", "supporting")]


@pytest.mark.parametrize(
    "text",
    [
        "推进建设。（责任领导：王刚；牵头单位：区发改局；责任单位：区财政局；配合单位：区住建局）",
        "推进建设。（区领导：王刚 牵头单位：区发改局 责任单位：区财政局 配合单位：区住建局）",
        "推进建设。【牵头区领导：王刚；牵头单位：区发改局；责任单位：区财政局；配合单位：区住建局】",
        "推进建设。（牵头单位：区发改局；责任单位：区财政局；配合单位：区住建局；分管领导：王刚）",
    ],
)
def test_the_leader_a_breakdown_names_beside_the_units_is_no_unit(read, text):
    draft = read(f"2023年某区重点工作任务分解\n一、甲\n1.{text}\n")
    (item,) = draft.items

    assert [(d.name, d.role) for d in item.departments] == [
        ("区发改局", "lead"),
        ("区财政局", "responsible"),
        ("区住建局", "supporting"),
    ]
    assert (item.title, item.body) == ("推进建设", "")


def test_a_collective_of_related_places_is_not_proposed_as_a_unit(read):
    draft = read("2023年某区重点任务分解\n一、甲\n1.改造老旧小区。\n责任单位：区住建局（牵头）、相关街道、有关区县\n")
    (item,) = draft.items

    assert [(d.name, d.role) for d in item.departments] == [("区住建局", "lead")]
    assert any("“相关街道”是统称" in note for note in item.uncertain())


def test_a_bureaus_own_sections_in_a_free_annotation(read):
    found = roles(read, "做好项目申报。（投资科牵头，财政科、综合室配合）")

    assert found == [("投资科", "lead"), ("财政科", "supporting"), ("综合室", "supporting")]


def test_free_forms(read):
    assert roles(read, "推进建设。（市交通委负责落实）") == [("市交通委", "lead")]
    found = roles(read, "推进建设。（市政府办公室牵头，各县市区政府按职责分工负责）")
    assert found[0] == ("市政府办公室", "lead")
    assert {name for name, role in found[1:] if role == "responsible"} == DISTRICTS


def test_two_leads_are_both_read_and_marked(read):
    draft = read("2023年某市人防工作要点\n一、甲\n1.推进建设。（牵头单位：区发改局）（牵头单位：区财政局）\n")
    item = draft.items[0]

    assert [(d.name, d.role) for d in item.departments] == [("区发改局", "lead"), ("区财政局", "lead")]
    assert "有多个牵头单位：写入时第一个为牵头单位，其余为责任单位" in item.uncertain()


def test_a_bracket_inside_a_name(read):
    assert roles(read, "推进建设。（牵头单位：临空经济区(空港新城)事务中心）") == [
        ("临空经济区(空港新城)事务中心", "lead")
    ]


def test_ningbo_collective_phrase_and_alias(read):
    found = roles(read, "推进建设。（牵头单位：市人防办；责任单位：各区（县、市））")

    assert found[0] == ("宁波市人民防空办公室", "lead")
    assert {name for name, _ in found[1:]} == DISTRICTS


def test_a_short_name_inside_another_word_is_not_the_district(read):
    assert roles(read, "配合镇海炼化开展演练。") == [("宁波市人民防空办公室", "lead")]
    assert roles(read, "推进建设，鄞州、北仑要先行。")[1:] == [("北仑区", "responsible"), ("鄞州区", "responsible")]


def test_unknown_units_are_proposed_as_new(read):
    draft = read("2023年某市人防工作要点\n一、甲\n1.推进建设。（牵头单位：区发改局）\n")

    assert not draft.items[0].departments[0].known
    assert "事项 1（推进建设）：“区发改局”不在单位名录中，将新建" in draft.uncertain()


def test_aliases_and_phrases_the_office_adds_are_used_without_code(read):
    city = Department.objects.create(code="fgj", name="某区发展和改革局", level="municipal")
    DepartmentAlias.objects.create(name="区发改局", department=city)
    street = Department.objects.create(code="jd1", name="甲街道", level="zone")
    phrase = CollectivePhrase.objects.create(phrase="各街道")
    phrase.departments.add(street)

    assert roles(read, "推进建设。（牵头单位：区发改局；责任单位：各街道）") == [
        ("某区发展和改革局", "lead"),
        ("甲街道", "responsible"),
    ]


def test_a_district_with_its_own_office_is_the_district_but_a_company_is_not(read):
    assert roles(read, "推进建设。（责任单位：鄞州区政府、北仑区人防办、镇海炼化）") == [
        ("宁波市人民防空办公室", "lead"),
        ("鄞州区", "responsible"),
        ("北仑区", "responsible"),
        ("镇海炼化", "responsible"),
    ]


def test_an_aside_in_brackets_is_not_a_unit(read):
    assert roles(read, "推进建设，鄞州先行。（由各地负责）") == [
        ("宁波市人民防空办公室", "lead"),
        ("鄞州区", "responsible"),
    ]


@pytest.mark.parametrize(
    "names",
    ["各区、县（市）政府", "各县（区）", "各縣（區）", "各县、市、区", "各区县（市）人防办"],
)
def test_the_districts_under_any_wording_of_their_levels(read, names):
    found = roles(read, f"推进建设。（牵头单位：市发改委；配合单位：{names}）")

    assert found[0] == ("市发改委", "lead")
    assert {name for name, role in found[1:] if role == "supporting"} == DISTRICTS
    assert len(found) == 11


def test_a_collective_standing_for_no_listed_unit_is_no_new_department_and_is_said(read):
    draft = read(
        "2024年某市人防工作要点\n一、甲\n1.推进建设。（牵头单位：区发改局；配合单位：各有关单位、各镇（街道））\n"
    )
    (item,) = draft.items

    assert [(d.name, d.role) for d in item.departments] == [("区发改局", "lead")]
    notes = [note for note in item.uncertain() if "是统称，单位名录中没有它指的单位，未分配" in note]
    assert [note.split("”")[0] for note in notes] == ["“各有关单位", "“各镇（街道）"]


def test_a_name_with_another_name_in_brackets_is_that_unit(read):
    assert roles(read, "推进建设。（牵头单位：市人防办（民防局））") == [("宁波市人民防空办公室", "lead")]


def test_a_role_word_after_one_name_of_a_list_gives_it_that_role(read):
    found = roles(read, "推进建设。（责任单位：区民政局，市人防办（民防局）配合）")

    assert found == [("区民政局", "lead"), ("宁波市人民防空办公室", "supporting")]


def test_the_office_named_only_as_responsible_leads(read):
    assert roles(read, "修订防空预案。（责任单位：市人防办）") == [("宁波市人民防空办公室", "lead")]


def test_names_joined_by_and_are_two_units_but_a_name_with_and_inside_is_one(read):
    assert roles(read, "推进建设。（牵头单位：区发改局；配合单位：区财政局及鄞州区）") == [
        ("区发改局", "lead"), ("区财政局", "supporting"), ("鄞州区", "supporting"),
    ]  # fmt: skip
    assert roles(read, "推进建设。（牵头单位：区规划和自然资源局）") == [("区规划和自然资源局", "lead")]


def test_a_supporting_unit_in_brackets_after_the_lead(read):
    assert roles(read, "抓好落实。（牵头单位：区政府办公室（市人防办协助））") == [
        ("区政府办公室", "lead"), ("宁波市人民防空办公室", "supporting"),
    ]  # fmt: skip


def test_a_unit_label_the_reader_does_not_know_is_said_and_ends_the_names_before_it(read):
    draft = read("2024年某市工作要点\n一、甲\n1.做好联系工作。（牵头单位：市人防办；联系部门：市财政局）\n")

    (item,) = draft.items
    assert [(d.name, d.role) for d in item.departments] == [("宁波市人民防空办公室", "lead")]
    assert item.notes == ["“联系部门”不是可识别的单位标注（牵头/责任/配合单位等），其后的单位未读取，请核对"]
