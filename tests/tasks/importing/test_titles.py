"""The plan's own title, year, issuer and published date, whatever surrounds them."""

import pytest

ITEMS = "一、甲部分\n1.推进第一件事。年底前完成。\n2.推进第二件事。\n"


@pytest.mark.parametrize(
    "title",
    [
        "2023年区政府工作报告重点任务分解",
        "2023年某区重点工作责任分工方案",
        "2023年某县人防重点工作清单",
        "2023年某市人防工作推进情况进展情况表",
        "2022年某市人防工作要點",
    ],
)
def test_titles_of_every_kind_are_found(read, title):
    draft = read(f"首页 > 通知公告\n{title}\n{ITEMS}")

    assert (draft.title, draft.year) == (title, int(title[:4]))


def test_the_notice_and_its_sentence_are_not_the_title(read):
    draft = read(
        "关于印发《2023年某市人防工作要点》的通知\n各区县（市）人防办：\n"
        "《2023年某市人防工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。\n"
        "2023年某市人防工作要点\n" + ITEMS
    )

    assert draft.title == "2023年某市人防工作要点"
    assert len(draft.items) == 2


def test_a_title_over_two_lines_is_one_title(read):
    assert read("2023年某市人防\n工作要点\n" + ITEMS).title == "2023年某市人防工作要点"
    assert read("2023年区政府工作报告重点任务\n分解\n" + ITEMS).title == "2023年区政府工作报告重点任务分解"


def test_only_the_notice_names_the_plan(read):
    draft = read("关于印发《2023年某市人防工作要点》的通知\n" + ITEMS)

    assert draft.title == "2023年某市人防工作要点"


def test_notice_paragraphs_numbered_before_the_plan_are_not_items(read):
    draft = read(
        "关于做好2023年人防工作的通知\n现将有关事项通知如下：\n一、高度重视。\n二、抓好落实。\n"
        "附件：2023年某市人防工作要点\n" + ITEMS
    )

    assert draft.title == "2023年某市人防工作要点"
    assert [s.title for s in draft.sections] == ["甲部分"]
    assert [i.title for i in draft.items] == ["推进第一件事", "推进第二件事"]


def test_a_table_header_word_is_not_the_title(read):
    draft = read("工作任务\n2023年某区重点工作任务\n" + ITEMS)

    assert draft.title == "2023年某区重点工作任务"


def test_no_title_is_left_for_the_office_and_the_command_line_takes_one(read, dry_run):
    draft = read("某年的几件事\n" + ITEMS, year=2023)

    assert draft.title == ""
    assert "没有找到文件标题，请填写" in draft.uncertain()
    plan = dry_run("某年的几件事\n" + ITEMS, "plan.txt", "--title", "2023年某办工作要点")
    assert (plan["title"], plan["year"]) == ("2023年某办工作要点", 2023)


def test_issuer_and_date_after_the_last_item_belong_to_the_plan(read):
    draft = read("2023年某市人防工作要点\n" + ITEMS + "某市人民防空办公室\n2023年1月22日\n")

    assert (draft.issuer, str(draft.published_on)) == ("某市人民防空办公室", "2023-01-22")
    assert draft.items[-1].body == ""


def test_a_signature_dated_in_chinese_numerals(read):
    draft = read("2023年某市人防工作要点\n" + ITEMS + "某市人民防空办公室\n二〇二三年一月二十二日\n")

    assert str(draft.published_on) == "2023-01-22"


def test_the_json_carries_issuer_published_on_cadence_and_uncertain(dry_run):
    plan = dry_run("2023年某市人防工作要点\n一、甲\n1.每季度通报一次。\n某市人民防空办公室\n2023年1月22日\n")

    assert (plan["issuer"], plan["published_on"]) == ("某市人民防空办公室", "2023-01-22")
    assert plan["sections"][0]["tasks"][0]["cadence"] == "每季度"
    assert plan["uncertain"] == []
