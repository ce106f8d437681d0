import datetime

import pytest

from tasks.timephrases import TimePhraseError, find_cadence, find_time_phrases


@pytest.mark.parametrize(
    ("text", "phrase", "due"),
    [
        ("上半年组织演练", "上半年", "2021-06-30"),
        ("下半年召开会议", "下半年", "2021-12-31"),
        ("年内完成清查", "年内", "2021-12-31"),
        ("年底前全部完成", "年底前", "2021-12-31"),
        ("全年滚动推进", "全年", "2021-12-31"),
        ("一季度完成选址", "一季度", "2021-03-31"),
        ("第二季度启动", "第二季度", "2021-06-30"),
        ("三季度末前形成报告", "三季度末前", "2021-09-30"),
        ("四季度验收", "四季度", "2021-12-31"),
        ("10月底前全部完成", "10月底前", "2021-10-31"),
        ("2月底报送", "2月底", "2021-02-28"),
        ("１０月底前完成", "１０月底前", "2021-10-31"),
        ("6月15日前开工", "6月15日前", "2021-06-15"),
        ("9月第三个星期六开展国防教育日宣传", "9月第三个星期六", "2021-09-18"),
        ("每年5月的第二个周日", "5月的第二个周日", "2021-05-09"),
        ("国庆前投入使用", "国庆前", "2021-09-30"),
        ("“七一”前完成", "“七一”前", "2021-06-30"),
        ("十一前开放", "十一前", "2021-09-30"),
        ("十一月前完成", "十一月前", "2021-11-30"),
    ],
)
def test_each_phrase_names_its_date(text, phrase, due):
    (found,) = find_time_phrases(text, 2021)

    assert (found.phrase, found.due.isoformat()) == (phrase, due)


def test_february_end_follows_the_leap_year():
    assert find_time_phrases("2月底前", 2024)[0].due == datetime.date(2024, 2, 29)


def test_words_that_only_look_like_phrases_are_not_read():
    assert find_time_phrases("健全年度考核，召开2021年全市会议，推进三年行动", 2021) == []


@pytest.mark.parametrize("text", ["2月30日前完成", "13月底前完成", "0月底前", "2月第五个星期一"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(TimePhraseError):
        find_time_phrases(text, 2021)


def test_a_deadline_inside_a_period_refines_it():
    second_half, october = find_time_phrases("下半年组织演习，在10月底前全部完成", 2021)

    assert october.refines(second_half)
    assert not second_half.refines(october)
    first_quarter, june = find_time_phrases("一季度完成选址论证，6月15日前开工", 2021)
    assert not june.refines(first_quarter)


@pytest.mark.parametrize(
    ("text", "phrase", "due"),
    [
        ("2月上旬前完成", "2月上旬前", "2023-02-10"),
        ("3月中旬启动", "3月中旬", "2023-03-20"),
        ("3月下旬完成", "3月下旬", "2023-03-31"),
        ("7月份完成", "7月份", "2023-07-31"),
        ("10月前完成", "10月前", "2023-10-31"),
        ("六月底前完成", "六月底前", "2023-06-30"),
        ("3-6月开展", "3-6月", "2023-06-30"),
        ("3月至6月开展", "3月至6月", "2023-06-30"),
        ("6月30日完成", "6月30日", "2023-06-30"),
        ("年中完成", "年中", "2023-06-30"),
        ("2024年6月底前完成", "2024年6月底前", "2024-06-30"),
        ("2025年底前完成", "2025年底前", "2025-12-31"),
        ("明年7月份开工", "明年7月份", "2024-07-31"),
    ],
)
def test_more_phrases_in_a_2023_plan(text, phrase, due):
    (found,) = find_time_phrases(text, 2023)

    assert (found.phrase, found.due.isoformat()) == (phrase, due)


def test_next_year_counts_from_when_the_plan_was_written():
    (found,) = find_time_phrases("明年7月份开工", 2023, written=datetime.date(2022, 12, 20))

    assert found.due == datetime.date(2023, 7, 31)


def test_a_whole_year_target_keeps_its_date_beside_a_deadline_in_the_same_sentence(read):
    draft = read("2023年某市工作要点\n一、甲\n1.扩大消费，全年社零总额增长6%，4月底前出台促消费政策措施。\n")

    assert [(m.phrase, str(m.due)) for m in draft.items[0].milestones] == [
        ("全年", "2023-12-31"),
        ("4月底前", "2023-04-30"),
    ]
    assert str(draft.items[0].deadline) == "2023-12-31"


def test_within_three_years_is_not_within_the_year():
    assert find_time_phrases("三年内全面完成", 2023) == []


@pytest.mark.parametrize(
    ("text", "cadence"), [("每季度通报", "每季度"), ("持续推进", "持续推进"), ("常态化开展", "常态化")]
)
def test_recurring_phrases_are_a_cadence_not_a_date(text, cadence):
    assert find_time_phrases(text, 2023) == []
    assert find_cadence(text) == cadence


@pytest.mark.parametrize(
    ("text", "cadence"),
    [
        ("争取超长期特别国债支持", None),
        ("编制中长期发展规划", None),
        ("推进长期护理保险试点", None),
        ("长期坚持，抓好落实", "长期"),
        ("长期", "长期"),
        ("争取超长期特别国债，按季度调度", "按季度"),
    ],
)
def test_a_long_term_word_is_a_cadence_only_as_the_way_the_work_goes_on(text, cadence):
    assert find_cadence(text) == cadence


def test_a_time_word_with_no_date_is_marked_for_the_office(read):
    draft = read("2023年某市人防工作要点\n一、甲\n1.修订应急预案。尽快报送。\n")

    assert "事项 1（修订应急预案）：时间表述“尽快”未能换算为日期，暂按年底" in draft.uncertain()


def test_a_table_deadline_cell_is_the_items_deadline_over_later_words_in_its_text(read):
    text = "序号,重点任务,具体措施,完成时限\n1,改善农村人居,上半年完成、下半年见效。,2024-06-30\n"
    (item,) = read(text.encode(), "plan.csv", title="2024年某市重点任务").items

    assert (str(item.deadline), item.deadline_phrase) == ("2024-06-30", "2024年6月30日")
    assert sorted(str(m.due) for m in item.milestones) == ["2024-06-30", "2024-06-30", "2024-12-31"]


@pytest.mark.parametrize(
    ("cell", "deadline"),
    [("2025年", "2025-12-31"), ("2024年度", "2024-12-31"), ("本年度", "2024-12-31"), ("年度内", "2024-12-31")],
)
def test_a_deadline_cell_naming_only_a_year_is_that_years_end(read, cell, deadline):
    text = f"序号,重点任务,牵头单位,完成时限\n1,开展城市体检,市住建局,{cell}\n"
    (item,) = read(text.encode(), "plan.csv", title="2024年某市重点任务").items

    assert str(item.deadline) == deadline
    assert item.notes == []


def test_what_the_office_should_check_on_dates_is_said(read):
    draft = read(
        "2024年某市人防工作要点\n一、甲\n"
        "1.修订防空预案。2022年3月前完成修订。\n"
        "2.开展促消费活动。春节前、国庆前分别组织。\n"
    )
    first, second = draft.items

    assert first.notes == ["时间“2022年3月前”（2022-03-31）早于计划年度2024年，请核对"]
    assert (str(second.deadline), second.notes) == ("2024-09-30", ["时间表述“春节前”未能换算为日期，未设节点"])


def test_a_milestone_is_described_without_the_unit_annotation_after_it(read):
    draft = read(
        "2024年某市人防工作要点\n一、甲\n1.推进改革。第三季度末前完成办法修订（牵头单位：区发改局；责任单位：区财政局）\n"
    )

    assert [m.description for m in draft.items[0].milestones] == ["第三季度末前完成办法修订"]


def test_a_deadline_cell_written_as_year_and_month_or_unreadable(read):
    rows = "序号,重点任务,完成时间\n1,完善指挥体系,2024.6\n2,防空演练,2024/9\n3,疏散基地,Q3\n4,宣传教育,持续推进\n"
    first, second, third, fourth = read(rows.encode(), "plan.csv", title="2024年某市人防工作任务清单").items

    assert [str(i.deadline) for i in (first, second)] == ["2024-06-30", "2024-09-30"]
    assert (str(third.deadline), third.notes) == ("2024-12-31", ["时间表述“Q3”未能换算为日期，暂按年底"])
    assert (fourth.cadence, fourth.notes) == ("持续推进", [])


def test_undated_occasions_are_said(read):
    (item,) = read("2024年某市人防工作要点\n一、甲\n1.办好民生实事。两会前部署，年底前完成。\n").items

    assert item.notes == ["时间表述“两会前”未能换算为日期，未设节点"]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2026年年底前全部完成", "2026-12-31"),
        ("2025年年底完成验收", "2025-12-31"),
        ("明年年底前建成", "2025-12-31"),
        ("2025年底前建成", "2025-12-31"),
    ],
)
def test_a_year_written_before_year_end_words_is_that_years_end(text, due):
    (found,) = find_time_phrases(text, 2024)

    assert found.due.isoformat() == due


def test_all_year_long_is_a_cadence_and_the_years_end():
    (found,) = find_time_phrases("全年持续开展专项行动", 2024)

    assert found.due.isoformat() == "2024-12-31"
    assert find_cadence("全年持续开展专项行动") == "全年持续"
