"""Parts, sub-sections and items at up to three levels, however the document numbers them."""

THREE_LEVELS = """\
2023年某市人防工作要点
一、总体要求
（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导。
（二）工作目标。全年完成各项任务。
二、重点任务
（一）强化指挥体系建设
1.推进指挥所建设。年底前完成。
2.完善方案计划。
（二）抓好工程建设
1.加强质量监管。
2.推进维护管理。
①开展巡查。
②开展整改。
三、保障措施
（一）加强组织领导。各单位要高度重视。
（二）强化督查考核。
"""


def test_three_levels_where_the_numbered_items_are_the_work(read):
    draft = read(THREE_LEVELS)

    # 二、重点任务 is the one working part between preamble and closing: its （一） headings
    # are the plan's sections, as the quarterly table groups them.
    assert [(s.ordinal, s.title) for s in draft.sections] == [(1, "强化指挥体系建设"), (2, "抓好工程建设")]
    items = draft.items
    assert [i.title for i in items] == ["推进指挥所建设", "完善方案计划", "加强质量监管", "推进维护管理"]
    # Numbering restarts in each sub-section: unique numbers, printed labels kept.
    assert [(i.number, i.label) for i in items] == [(1, "1"), (2, "2"), (3, "1"), (4, "2")]
    assert items[3].body == "①开展巡查。\n②开展整改。"
    assert "“一 总体要求”是前言部分，未作为任务导入" in draft.notes
    assert "“三 保障措施”是保障措施部分，未作为任务导入" in draft.notes
    assert len(draft.notes) == 2  # 二、重点任务 holds the sections: not reported as left out


def test_a_closing_list_does_not_swallow_the_items_before_it(read):
    draft = read(
        "2023年某市人防工作要点\n一、重点任务\n1.第一件事。\n2.第二件事。\n"
        "二、保障措施\n（一）加强领导。\n（二）强化考核。\n"
    )

    assert [i.title for i in draft.items] == ["第一件事", "第二件事"]


def test_items_numbered_with_circled_digits_or_half_brackets(read):
    circled = read("2023年某市人防工作要点\n一、甲\n①第一件事。\n②第二件事。\n二、乙\n③第三件事。\n")
    half = read("2023年某市人防工作要点\n一、甲\n1）第一件事。\n2）第二件事。\n")

    assert [(i.number, i.label) for i in circled.items] == [(1, "①"), (2, "②"), (3, "③")]
    assert [(i.label, i.title) for i in half.items] == [("1）", "第一件事"), ("2）", "第二件事")]


def test_item_numbers_of_any_length(read):
    draft = read("2023年某市人防工作要点\n一、甲\n999.第九百九十九件。\n1000.第一千件。\n")

    assert [i.number for i in draft.items] == [999, 1000]


def test_a_page_line_and_an_image_name_before_the_first_part_are_skipped(read):
    draft = read("2023年某市人防工作要点\n640.webp.jpg\n打印本页\n一、甲\n1.第一件事。\n")

    assert [(s.title, [i.title for i in s.items]) for s in draft.sections] == [("甲", ["第一件事"])]


def test_a_manual_line_break_or_hard_wrap_does_not_cut_the_title(read):
    manual = read("2023年某市人防工作要点\n一、甲\n1.推进人民防空指挥所\x0b建设工作。年底前完成。\n")
    wrapped = read(
        "2023年某市人防工作要点\n一、甲\n1.推进全市人民防空指挥所和各区县（市）基本指挥\n所的规范化建设工作。年底前完成。\n"
    )

    assert manual.items[0].title == "推进人民防空指挥所建设工作"
    assert wrapped.items[0].title == "推进全市人民防空指挥所和各区县（市）基本指挥所的规范化建设工作"
    assert wrapped.items[0].body == "年底前完成。"


def test_a_web_page_plan_with_items_numbered_in_brackets_through_the_plan(read):
    draft = read(
        "首页 > 政务公开\n关于印发2023年全市人防工作要点的通知\n发布日期：2023-02-15\n"
        "现将《2023年全市人防工作要点》印发给你们，请认真贯彻落实。\n宁波市人民防空办公室\n2023年2月10日\n"
        "2023年全市人防工作要点\n2023年是开局之年。\n一、加强党的建设\n（一）加强政治建设。一季度开展专题学习。\n"
        "二、提升防护能力\n（二）组织防空警报试鸣。9月份组织试鸣。\n三、抓好落实\n要加强组织领导。\n打印本页 关闭窗口\n"
    )

    assert (draft.title, draft.issuer, str(draft.published_on)) == (
        "2023年全市人防工作要点", "宁波市人民防空办公室", "2023-02-10",
    )  # fmt: skip
    assert [(i.number, i.label, str(i.deadline)) for i in draft.items] == [
        (1, "（一）", "2023-03-31"),
        (2, "（二）", "2023-09-30"),
    ]
    assert "“抓好落实”下没有编号事项，未导入" in draft.notes


def test_a_year_in_chinese_numerals(read):
    assert read("二〇二三年某市人防工作要点\n一、甲\n1.第一件。6月底前完成。\n").year == 2023


def test_a_task_table_copied_from_a_web_page_with_tabs(read):
    draft = read("2023年某区重点工作任务清单\n序号\t工作任务\t牵头单位\t完成时限\n1\t推进项目建设\t鄞州区\t6月底前\n")

    assert [(i.title, i.lead_department, str(i.deadline)) for i in draft.items] == [
        ("推进项目建设", "鄞州区", "2023-06-30")
    ]


def test_one_character_bracketed_numbers(read):
    draft = read("2023年某市人防工作要点\n㈠重点任务\n⑴第一件事。\n⑵第二件事。\n")

    assert [(s.title, [(i.number, i.title) for i in s.items]) for s in draft.sections] == [
        ("重点任务", [(1, "第一件事"), (2, "第二件事")])
    ]


def test_digits_with_a_full_stop_in_one_character_as_copied_out_of_a_pdf(read):
    draft = read(
        "2024年某市人防工作要点\n一、提升战备能力\n⒈完善指挥体系。\n⒉开展防空演练。\n二、推进工程建设\n⒈加强质量监督。\n"
    )

    assert [(s.title, [(i.label, i.title) for i in s.items]) for s in draft.sections] == [
        ("提升战备能力", [("1", "完善指挥体系"), ("2", "开展防空演练")]),
        ("推进工程建设", [("1", "加强质量监督")]),
    ]


def test_preamble_paragraphs_in_a_one_level_plan_are_not_items(read):
    draft = read(
        "2023年某市人防工作要点\n一、指导思想\n坚持党的领导。\n二、推进指挥所建设\n年底前完成。\n三、完善方案\n"
    )

    assert [i.title for i in draft.items] == ["推进指挥所建设", "完善方案"]
    assert draft.notes == ["“一 指导思想”是前言部分，未作为任务导入"]


def test_a_short_heading_ended_by_a_colon_is_the_title(read):
    draft = read("2023年某市人防工作要点\n一、甲\n1.强化组织领导：成立工作专班，每月调度一次。\n")

    assert (draft.items[0].title, draft.items[0].body) == ("强化组织领导", "成立工作专班，每月调度一次。")


def test_a_part_with_text_and_no_numbered_items_before_the_others_is_one_item(read):
    draft = read(
        "2024年某市人防工作要点\n一、强化战备建设\n"
        "一是完善指挥体系，一季度完成指挥所升级；二是开展防空演练，6月底前完成。\n"
        "二、推进工程建设\n1.加强质量监督。\n2.推进疏散基地建设。\n三、抓好落实\n要加强组织领导。\n"
    )

    assert [(s.title, [(i.number, i.label, i.title) for i in s.items]) for s in draft.sections] == [
        ("强化战备建设", [(1, "一", "强化战备建设")]),
        ("推进工程建设", [(2, "1", "加强质量监督"), (3, "2", "推进疏散基地建设")]),
    ]
    first = draft.items[0]
    assert [(m.description, str(m.due)) for m in first.milestones] == [
        ("一是完善指挥体系，一季度完成指挥所升级", "2024-03-31"),
        ("二是开展防空演练，6月底前完成", "2024-06-30"),
    ]
    assert "“强化战备建设”下没有编号事项，整段作为一项任务导入，请核对" in draft.notes
    assert "“抓好落实”下没有编号事项，未导入" in draft.notes  # closing words after the items stay out


def test_units_annotated_on_a_heading_are_those_of_its_items_and_not_in_its_title(read):
    draft = read(
        "2024年某县重点工作任务\n一、强化战备建设（牵头单位：区人防办）\n"
        "（一）完善指挥体系建设，推进指挥所升级和信息化（牵头单位：区发改局；配合单位：区财政局、区大数据中心）\n"
        "1.一季度完成指挥所升级改造。\n2.6月底前完成指挥信息系统对接。\n"
        "（二）提升防空警报覆盖率\n1.新建警报器20台。（责任单位：鄞州区）\n2.9月第三个星期六组织试鸣。\n"
    )

    (section,) = draft.sections
    assert section.title == "强化战备建设"
    by_item = [(i.title, i.subsection, [(d.name, d.role) for d in i.departments]) for i in section.items]
    sub_one, sub_two = "完善指挥体系建设，推进指挥所升级和信息化", "提升防空警报覆盖率"
    subsection_units = [("区发改局", "lead"), ("区财政局", "supporting"), ("区大数据中心", "supporting")]
    assert by_item == [
        ("一季度完成指挥所升级改造", sub_one, subsection_units),
        ("6月底前完成指挥信息系统对接", sub_one, subsection_units),
        ("新建警报器20台", sub_two, [("宁波市人民防空办公室", "lead"), ("鄞州区", "responsible")]),
        ("9月第三个星期六组织试鸣", sub_two, [("区人防办", "lead")]),
    ]


def test_an_item_starting_with_a_date_after_its_number_is_an_item_and_a_decimal_is_not(read):
    draft = read(
        "2024年某市人防工作要点\n一、甲\n1.一季度完成选址。\n2.6月底前开工。\n3.2024年底前建成。\n2.5亿元用于改造。\n"
    )

    assert [(i.label, i.title) for i in draft.items] == [
        ("1", "一季度完成选址"),
        ("2", "6月底前开工"),
        ("3", "2024年底前建成"),
    ]
    assert draft.items[2].body == "2.5亿元用于改造。"


def test_decimal_outline_numbering(read):
    draft = read(
        "2024年某市人防工作要点\n1 强化战备建设\n1.1 完善指挥体系。一季度完成。\n1.2 开展防空演练。\n"
        "2 推进工程建设\n2.1 加强质量监督。全年投入2.5亿元。\n"
    )

    assert [(s.ordinal, s.title, [(i.label, i.title) for i in s.items]) for s in draft.sections] == [
        (1, "强化战备建设", [("1.1", "完善指挥体系"), ("1.2", "开展防空演练")]),
        (2, "推进工程建设", [("2.1", "加强质量监督")]),
    ]
    assert [i.number for i in draft.items] == [1, 2, 3]


def test_a_line_starting_with_a_number_and_a_space_is_no_part_without_items_under_it(read):
    draft = read("2024年某市人防工作要点\n一、甲\n1.完成指挥所改造。预计投资超过\n6 亿元。\n2.开展演练。\n")

    assert [(s.title, [(i.title, i.body) for i in s.items]) for s in draft.sections] == [
        ("甲", [("完成指挥所改造", "预计投资超过\n6 亿元。"), ("开展演练", "")])
    ]
