"""Every shape a plan arrives in gives the same draft: Word, task tables, encodings; the rest is refused clearly."""

import io
import pathlib
import zipfile

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tasks.importing import MAX_BYTES, MAX_ITEMS, DocumentError

from .documents import word_file, word_file_instances, workbook

DOCUMENTS = pathlib.Path(__file__).parent / "documents"

WORD_PARAGRAPHS = [
    (None, "2023年某市人防工作要点"),
    (0, "总体要求"),
    (None, "坚持党的领导。"),
    (0, "重点任务"),
    (1, "强化指挥体系"),
    (2, "推进指挥所建设。6月底前完成选址。（牵头单位：市人防办；责任单位：鄞州区）"),
    (2, "完善方案计划。三季度完成。"),
    (1, "抓好工程建设"),
    (2, "加强质量监管。"),
    (None, "某市人民防空办公室"),
    (None, "2023年1月22日"),
]


@pytest.mark.parametrize("through_styles", [False, True], ids=["list-on-paragraphs", "list-style"])
def test_a_word_file_numbered_by_word(read, through_styles):
    draft = read(word_file(WORD_PARAGRAPHS, through_styles=through_styles), "plan.docx")

    assert (draft.title, draft.year, draft.issuer, str(draft.published_on)) == (
        "2023年某市人防工作要点", 2023, "某市人民防空办公室", "2023-01-22",
    )  # fmt: skip
    assert [(s.ordinal, s.title) for s in draft.sections] == [(1, "强化指挥体系"), (2, "抓好工程建设")]
    items = draft.items
    assert [(i.label, i.title) for i in items] == [
        ("1", "推进指挥所建设"),
        ("2", "完善方案计划"),
        ("1", "加强质量监管"),
    ]
    assert [str(i.deadline) for i in items] == ["2023-06-30", "2023-09-30", "2023-12-31"]
    assert [(d.name, d.role) for d in items[0].departments] == [
        ("宁波市人民防空办公室", "lead"),
        ("鄞州区", "responsible"),
    ]


def test_word_numbers_go_on_across_list_instances_and_restart_where_word_restarts_them(read):
    # As LibreOffice saves a Word plan, and Word after "继续编号" / "重新开始于 1": numId 91
    # goes on from 90 (the second part is 二、), 92 restarts the items at 1 and 93 goes on from it.
    paragraphs = [
        (None, 0, "2024年某市人防工作要点"),
        (90, 0, "坚持党建引领"),
        (90, 2, "加强政治建设。"),
        (90, 2, "深化清廉人防建设。"),
        (91, 0, "提升战备能力"),
        (92, 2, "完善指挥体系。"),
        (93, 2, "开展防空演练。"),
    ]
    draft = read(word_file_instances(paragraphs, restarts={92: 2}), "plan.docx")

    assert [(s.ordinal, s.title) for s in draft.sections] == [(1, "坚持党建引领"), (2, "提升战备能力")]
    assert [(i.label, i.title) for i in draft.items] == [
        ("1", "加强政治建设"),
        ("2", "深化清廉人防建设"),
        ("1", "完善指挥体系"),
        ("2", "开展防空演练"),
    ]


def test_a_manual_line_break_in_word_does_not_cut_the_title(read):
    paragraphs = [(None, "2023年某市人防工作要点"), (0, "重点任务"), (1, "推进指挥所\x0b建设工作。年底前完成。")]
    draft = read(word_file(paragraphs), "plan.docx")

    assert draft.items[0].title == "推进指挥所建设工作"


def test_a_task_table_in_word_with_a_row_spanning_the_table(read):
    table = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["一、稳增长"],
        ["1", "推进项目建设", "区发改局", "6月底前"],
        ["2", "扩大有效投资", "鄞州区", "2023-09-30"],
        ["二、惠民生"],
        ["3", "新建养老机构", "区民政局", "年底前"],
    ]
    draft = read(word_file([(None, "2023年某区重点工作任务分解表")], table=table), "plan.docx")

    assert draft.title == "2023年某区重点工作任务分解表"
    assert [(s.title, [i.title for i in s.items]) for s in draft.sections] == [
        ("稳增长", ["推进项目建设", "扩大有效投资"]),
        ("惠民生", ["新建养老机构"]),
    ]
    assert [str(i.deadline) for i in draft.items] == ["2023-06-30", "2023-09-30", "2023-12-31"]
    assert draft.items[1].departments[0].name == "鄞州区"


XLSX_ROWS = [
    ["2023年某区重点工作任务清单"],
    ["序号", "重点领域", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"],
    [1, "稳增长", "推进项目建设", "完成投资10亿元。", "区发改局", "鄞州区、北仑区", "6月底前"],
    [2, None, "扩大有效投资", "新开工项目20个。", "区财政局", "各区（县、市）", None],
    [None, None, None, "完成年度目标。", None, None, "年底前"],
    [3, "惠民生", "新建养老机构", "新增床位200张。", "区民政局", None, "三季度"],
]


def test_an_xlsx_task_table_with_merged_cells(read):
    # 重点领域 merged over its rows; task 2 merged over two rows of content.
    data = workbook(XLSX_ROWS, ["A1:G1", "B3:B5", "A4:A5", "C4:C5", "E4:E5", "F4:F5"])
    draft = read(data, "plan.xlsx")

    assert (draft.title, draft.year) == ("2023年某区重点工作任务清单", 2023)
    assert [(s.title, [i.title for i in s.items]) for s in draft.sections] == [
        ("稳增长", ["推进项目建设", "扩大有效投资"]),
        ("惠民生", ["新建养老机构"]),
    ]
    first, second, third = draft.items
    assert first.body == "完成投资10亿元。"
    assert [(d.name, d.role) for d in first.departments] == [
        ("区发改局", "lead"), ("鄞州区", "responsible"), ("北仑区", "responsible"),
    ]  # fmt: skip
    assert second.body == "新开工项目20个。\n完成年度目标。"
    assert len([d for d in second.departments if d.role == "responsible"]) == 10
    assert str(second.deadline) == "2023-12-31"
    assert (str(third.deadline), third.deadline_phrase) == ("2023-09-30", "三季度")


def test_a_csv_task_table(read):
    text = "序号,工作任务,责任单位,完成时间\n1,推进项目建设,鄞州区,2023年6月30日\n2,扩大有效投资,北仑区,年内\n"
    draft = read(text.encode("gbk"), "plan.csv", title="2023年某区重点工作")

    assert draft.title == "2023年某区重点工作"
    assert [(i.title, str(i.deadline)) for i in draft.items] == [
        ("推进项目建设", "2023-06-30"),
        ("扩大有效投资", "2023-12-31"),
    ]
    assert [(d.name, d.role) for d in draft.items[0].departments] == [
        ("宁波市人民防空办公室", "lead"),
        ("鄞州区", "responsible"),
    ]


def test_a_table_flattened_with_bars(read):
    draft = read(
        "2023年某区重点工作任务\n| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n|---|---|---|---|\n"
        "| 1 | 推进项目建设 | 鄞州区 | 6月底前 |\n| 2 | 扩大有效投资 | 北仑区 | 10月底前 |\n"
    )

    assert draft.title == "2023年某区重点工作任务"
    assert [(i.title, i.lead_department, str(i.deadline)) for i in draft.items] == [
        ("推进项目建设", "鄞州区", "2023-06-30"),
        ("扩大有效投资", "北仑区", "2023-10-31"),
    ]


def test_a_table_flattened_one_cell_per_line(read):
    draft = read(
        "2023年某区重点工作任务\n序号\n工作任务\n牵头单位\n完成时限\n"
        "一、稳增长\n1\n推进项目建设\n鄞州区\n6月底前\n2\n扩大有效投资\n北仑区\n10月底前\n"
    )

    assert [(s.title, [(i.title, i.lead_department) for i in s.items]) for s in draft.sections] == [
        ("稳增长", [("推进项目建设", "鄞州区"), ("扩大有效投资", "北仑区")])
    ]


PLAN = "2022年某市人防工作要點\n一、甲部分\n1.推進指揮所建設。6月底前完成。（牽頭單位：市人防辦）\n"


@pytest.mark.parametrize(
    "data",
    [
        (PLAN + "某市人民防空辦公室\n2022年1月20日\n").encode("big5"),
        PLAN.encode("utf-16"),
        PLAN.replace("\n", "\r").encode("utf-8"),
        PLAN.replace("\n", "\r\n").encode("utf-8-sig"),
    ],
    ids=["big5", "utf-16", "cr", "crlf-bom"],
)
def test_encodings_and_line_endings(read, data):
    draft = read(data)

    assert (draft.title, draft.year) == ("2022年某市人防工作要點", 2022)
    (item,) = draft.items
    assert (item.title, str(item.deadline), item.lead_department) == (
        "推進指揮所建設",
        "2022-06-30",
        "宁波市人民防空办公室",
    )
    if draft.published_on:  # the Big5 one is signed, in traditional characters
        assert (draft.issuer, str(draft.published_on)) == ("某市人民防空辦公室", "2022-01-20")


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


def _compound(stream: str) -> bytes:
    """The start of an OLE compound file naming ``stream`` in its directory, as Word 97-2003 and WPS save."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + (stream + "\0").encode("utf-16-le") + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.doc", "请在 Word 或 WPS 中另存为 .docx"),
        (_compound("WordDocument"), "plan.wps", "这是旧版 Word 文件（.doc/.wps），请在 Word 或 WPS 中另存为 .docx"),
        (_zip("mimetype", "content.xml"), "plan.odt", "这是 OpenDocument 文件（.odt/.ods），请另存为 .docx 或 .xlsx"),
        (b"%PDF-1.7\n...", "plan.pdf", "不能导入PDF 文件"),
        (b"\x89PNG\r\n\x1a\n....", "scan.png", "不能导入图片"),
        (b"\xff\xd8\xff\xe0....", "scan.jpg", "不能导入图片"),
        (_zip("a.txt"), "plan.zip", "不能导入压缩包"),
        # Found by trying: random bytes named .docx were read as text and refused for their NUL bytes.
        (bytes(range(256)) * 4, "plan.docx", "文件名是 docx，但内容不是 Word 或 Excel 文件"),
        (b"1.\xe6\x8e\xa8\xe8\xbf\x9b\n", "plan.xlsx", "文件名是 xlsx，但内容不是 Word 或 Excel 文件"),
    ],
)
def test_formats_no_reader_takes_are_refused_naming_those_that_work(read, data, name, said):
    with pytest.raises(DocumentError) as error:
        read(data, name)

    assert said in error.value.message
    assert "Word（.docx）、Excel（.xlsx/.xls）、CSV（.csv）" in error.value.message


def test_nul_bytes_are_refused_with_their_line(tmp_path, departments):
    path = tmp_path / "plan.txt"
    path.write_bytes("2023年某市人防工作要点\n一、甲\n".encode() + b"1.\x00\x01\n")

    with pytest.raises(CommandError) as error:
        call_command("import_workplan", str(path), stdout=io.StringIO())

    assert str(error.value) == f"{path}:3: 文件含有 NUL 字节，不是文本文件"


def test_a_file_over_the_size_limit_is_refused(tmp_path, departments):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"a" * (MAX_BYTES + 1))

    with pytest.raises(CommandError) as error:
        call_command("import_workplan", str(path), stdout=io.StringIO())

    assert str(error.value) == f"{path}: 文件超过 10 MB 上限"


def test_the_command_imports_word_and_excel_like_text(tmp_path, departments):
    from tasks.models import Task

    (tmp_path / "plan.docx").write_bytes(word_file(WORD_PARAGRAPHS))
    (tmp_path / "table.xlsx").write_bytes(workbook(XLSX_ROWS, ["B3:B5", "A4:A5", "C4:C5"]))
    for name in ("plan.docx", "table.xlsx"):
        call_command("import_workplan", str(tmp_path / name), stdout=io.StringIO(), stderr=io.StringIO())

    assert Task.objects.filter(section__workplan__title="2023年某市人防工作要点").count() == 3
    assert Task.objects.filter(section__workplan__title="2023年某区重点工作任务清单").count() == 3


def test_a_two_row_header_names_the_unit_columns_in_its_second_row(read):
    rows = [
        ["2023年某区重点工作进展情况表"],
        ["序号", "重点工作", "责任单位", None, "完成时限", "进展情况"],
        [None, None, "牵头单位", "配合单位", None, None],
        [1, "推进项目建设", "鄞州区", "北仑区", "6月底前", "已完成选址"],
    ]
    data = workbook(rows, ["A1:F1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3"])
    draft = read(data, "progress.xlsx")

    (item,) = draft.items
    assert (draft.title, item.title, str(item.deadline)) == (
        "2023年某区重点工作进展情况表",
        "推进项目建设",
        "2023-06-30",
    )
    assert [(d.name, d.role) for d in item.departments] == [("鄞州区", "lead"), ("北仑区", "supporting")]


def test_a_task_cell_is_the_whole_title_even_with_a_full_stop_inside(read):
    text = '序号,工作任务,具体内容,责任单位\n1,推进指挥所建设。完成选址,年底前完工。,"市人防办（牵头）、鄞州区"\n'
    (item,) = read(text.encode(), "plan.csv", title="2023年某区重点工作").items

    assert (item.title, item.body) == ("推进指挥所建设。完成选址", "年底前完工。")
    assert [(d.name, d.role) for d in item.departments] == [("宁波市人民防空办公室", "lead"), ("鄞州区", "responsible")]


def test_a_table_copied_out_of_a_pdf_with_spaces(read):
    draft = read(
        "2023年某区重点工作任务清单\n序号 工作任务 牵头单位 完成时限\n"
        "一、稳增长\n1 推进项目建设 鄞州区 6月底前\n2 扩大 有效投资 北仑区 10月底前\n"
    )

    assert [(s.title, [(i.title, i.lead_department, str(i.deadline)) for i in s.items]) for s in draft.sections] == [
        ("稳增长", [("推进项目建设", "鄞州区", "2023-06-30"), ("扩大 有效投资", "北仑区", "2023-10-31")])
    ]


def _with_second_table(data: bytes, rows: list[list[str]], line_between: str) -> bytes:
    document = docx.Document(io.BytesIO(data))
    document.add_paragraph(line_between)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("header_repeated", [True, False], ids=["header-repeated", "continuation"])
def test_a_word_task_table_broken_into_two_tables_keeps_every_row(read, header_repeated):
    header = ["序号", "重点任务", "牵头单位", "完成时限"]
    first = [["2024年重点任务清单（第一批）"], header, ["一、科技创新"], ["1", "建设创新平台", "鄞州区", "6月底前"]]
    second = [["二、城乡融合", "", "", ""], ["2", "推进乡村振兴", "北仑区", "年底前"]]
    data = word_file([(None, "2024年某市重点任务清单")], table=first)
    data = _with_second_table(data, [header, *second] if header_repeated else second, "（续表）")

    draft = read(data, "plan.docx")

    assert [(s.title, [(i.title, i.lead_department) for i in s.items]) for s in draft.sections] == [
        ("科技创新", [("建设创新平台", "鄞州区")]),
        ("城乡融合", [("推进乡村振兴", "北仑区")]),
    ]


def test_a_workbook_with_one_sheet_per_part_reads_every_sheet(read):
    book = load_workbook(
        io.BytesIO(
            workbook(
                [["序号", "重点任务", "牵头单位", "完成时限"], [1, "扩大有效投资", "鄞州区", "6月底前"]],
                sheet="一、经济发展",
            )
        )
    )
    other = book.create_sheet("二、民生保障")
    for row in (["序号", "重点任务", "牵头单位", "完成时限"], [2, "加强住房保障", "北仑区", "10月底前"]):
        other.append(row)
    out = io.BytesIO()
    book.save(out)

    draft = read(out.getvalue(), "plan.xlsx", title="2024年某市重点任务")

    assert [(s.title, [(i.title, str(i.deadline)) for i in s.items]) for s in draft.sections] == [
        ("经济发展", [("扩大有效投资", "2024-06-30")]),
        ("民生保障", [("加强住房保障", "2024-10-31")]),
    ]


def test_a_numbered_category_column_names_the_section_without_its_number(read):
    rows = [
        ["序号", "类别", "重点任务", "牵头单位"],
        [1, "一、经济发展", "扩大有效投资", "鄞州区"],
        [2, "（二）民生保障", "加强住房保障", "北仑区"],
    ]
    draft = read(workbook(rows), "plan.xlsx", title="2024年某市重点任务")

    assert [s.title for s in draft.sections] == ["经济发展", "民生保障"]


def test_header_names_with_a_bracketed_qualifier_or_another_common_wording_are_columns(read):
    rows = [
        ["2024年某市重点工作任务分解表"],
        ["序 号", "督办事项", "年度目标", "牵头单位\n（部门）", "配合责任单位", "完成时限\n（时间节点）"],
        [1, "扩大有效投资", "完成投资10亿元", "鄞州区", "北仑区", "6月底前"],
    ]
    (item,) = read(workbook(rows, ["A1:F1"]), "plan.xlsx").items

    assert (item.title, item.body, str(item.deadline)) == ("扩大有效投资", "完成投资10亿元", "2024-06-30")
    assert [(d.name, d.role) for d in item.departments] == [("鄞州区", "lead"), ("北仑区", "supporting")]


def test_a_password_protected_workbook_is_told_to_have_its_password_removed(read):
    # Saved by Excel's 用密码进行加密 (password 1234): an OLE file wrapping the encrypted workbook.
    data = (DOCUMENTS / "refused-password-1234.xlsx").read_bytes()

    with pytest.raises(DocumentError) as error:
        read(data, "任务清单.xlsx")

    assert error.value.message.startswith("文件设有打开密码（已加密），无法读取。")


def test_an_xls_workbook_that_is_not_one_says_so_in_chinese(read):
    with pytest.raises(DocumentError) as error:
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.xls")

    assert error.value.message.startswith("Excel 文件无法读取，可能已损坏或并非 Excel 所存；请在 Excel 中另存为 .xlsx")


def test_a_word_plan_laid_out_inside_a_table_is_read_paragraph_by_paragraph(read):
    document = docx.Document()
    document.add_paragraph("奉化区人民防空办公室文件")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "2024年某区人防工作要点"
    for line in ["一、强化战备建设", "1.完善指挥体系。一季度完成。", "二、推进工程建设", "2.加强质量监督。"]:
        cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)

    draft = read(out.getvalue(), "plan.docx")

    assert draft.title == "2024年某区人防工作要点"
    assert [(s.title, [(i.title, str(i.deadline)) for i in s.items]) for s in draft.sections] == [
        ("强化战备建设", [("完善指挥体系", "2024-03-31")]),
        ("推进工程建设", [("加强质量监督", "2024-12-31")]),
    ]


def test_a_small_file_that_unpacks_to_far_more_than_a_plan_is_refused_unread(read):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w") as padding:
            for _ in range(101):
                padding.write(bytes(1024 * 1024))
    assert len(out.getvalue()) < MAX_BYTES

    with pytest.raises(DocumentError) as error:
        read(out.getvalue(), "plan.docx")

    assert error.value.message == "文件解压后超过 100 MB，不像一份工作要点，未读取"


def test_a_damaged_word_file_is_said_in_chinese_only(read):
    whole, damaged = zipfile.ZipFile(io.BytesIO(word_file(WORD_PARAGRAPHS))), io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for entry in whole.infolist():
            cut = entry.filename == "word/document.xml"  # cut off in the middle, as by a broken download
            archive.writestr(entry, whole.read(entry)[:500] if cut else whole.read(entry))

    with pytest.raises(DocumentError) as error:
        read(damaged.getvalue(), "plan.docx")

    assert error.value.message == "Word 文件无法读取，可能已损坏或并非 Word 所存；请在 Word 中另存为 .docx 后再试"


def test_parts_written_as_word_headings_without_numbers_are_the_sections(read):
    document = docx.Document()
    document.add_heading("2024年某区人防工作要点", level=1)  # the title, in a heading style too
    document.add_heading("强化战备建设", level=1)
    document.add_heading("指挥体系", level=2)
    document.add_paragraph("1.完善指挥体系。一季度完成。")
    document.add_paragraph("2.开展防空演练。")
    document.add_heading("推进工程建设", level=1)
    document.add_paragraph("3.加强质量监督。")
    out = io.BytesIO()
    document.save(out)

    draft = read(out.getvalue(), "plan.docx")

    assert draft.title == "2024年某区人防工作要点"
    assert [(s.title, [(i.title, i.subsection, i.body) for i in s.items]) for s in draft.sections] == [
        ("强化战备建设", [("完善指挥体系", "指挥体系", "一季度完成。"), ("开展防空演练", "指挥体系", "")]),
        ("推进工程建设", [("加强质量监督", "", "")]),
    ]


def test_a_summary_table_after_a_numbered_body_leaves_the_body_as_the_plan(read):
    draft = read((DOCUMENTS / "guangdong-zsj-2024-libreoffice.docx").read_bytes(), "plan.docx")

    assert len(draft.items) == 5
    assert "正文已有 5 项编号事项，按正文导入；正文后的表格（2 项）未导入，请核对" in draft.uncertain()


def test_a_notice_with_a_few_numbered_requirements_over_a_longer_task_table_is_the_table(read):
    notice = [
        (None, "关于印发《2024年某区重点工作任务分解表》的通知"),
        (0, "提高思想认识。"),
        (None, "各单位要高度重视。"),
        (0, "按时报送进展。"),
        (None, "每季度末报送。"),
        (None, "2024年某区重点工作任务分解表"),
    ]
    table = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "推进项目建设", "区发改局", "6月底前"],
        ["2", "扩大有效投资", "区财政局", "9月底前"],
        ["3", "新建养老机构", "区民政局", "年底前"],
    ]
    draft = read(word_file(notice, table=table), "plan.docx")

    assert [item.title for item in draft.items] == ["推进项目建设", "扩大有效投资", "新建养老机构"]


def test_hidden_rows_of_a_workbook_are_left_out_and_named(read):
    draft = read((DOCUMENTS / "hangzhou-sjj-2024-hidden-rows.xlsx").read_bytes(), "plan.xlsx")

    assert [item.label for item in draft.items] == ["1", "3", "4"]
    assert "工作表“任务清单”第5行是隐藏行，未导入；如需导入，请在 Excel 中取消隐藏后重新上传" in draft.uncertain()
    assert all("原定二季度" not in item.body for item in draft.items)  # the hidden remarks column


def test_a_word_table_of_contents_and_page_header_and_footer_are_not_read_as_the_plan(read):
    document = docx.Document()
    contents = document.styles.add_style("toc 1", 1)  # Word's own name for a contents entry, in any language
    document.add_paragraph("2024年苏州市农业农村局工作要点")
    document.add_paragraph("目录")
    for entry in ("一、稳产保供\t1", "二、乡村建设\t2"):
        document.add_paragraph(entry, style=contents)
    for text in (
        "一、稳产保供",
        "1.稳定粮食生产。夏粮6月底前收获。（牵头单位：种植业处）",
        "二、乡村建设",
        "2.推进和美乡村建设。年底前建成100个。（牵头单位：社会事业处）",
    ):
        document.add_paragraph(text)
    document.sections[0].header.paragraphs[0].text = "苏州市农业农村局"
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    out = io.BytesIO()
    document.save(out)

    draft = read(out.getvalue(), "plan.docx")

    assert [(s.title, [i.title for i in s.items]) for s in draft.sections] == [
        ("稳产保供", ["稳定粮食生产"]),
        ("乡村建设", ["推进和美乡村建设"]),
    ]
    assert draft.items[-1].body == "年底前建成100个。"


def test_a_sheet_holding_another_years_list_is_not_added_to_the_plan(read):
    book = Workbook()
    this_year = book.active
    this_year.title = "2024年"
    last_year = book.create_sheet("2023年（已完成）")
    for sheet, year, tasks in (
        (this_year, 2024, ["建设通苏嘉甬铁路", "推进公交优先"]),
        (last_year, 2023, ["建成嘉兴南站枢纽"]),
    ):
        sheet.append([f"{year}年嘉兴市交通运输局重点工作任务清单"])
        sheet.append(["序号", "工作任务", "牵头单位", "完成时限"])
        for number, task in enumerate(tasks, 1):
            sheet.append([number, task, "建设处", "年底前"])
    out = io.BytesIO()
    book.save(out)

    draft = read(out.getvalue(), "plan.xlsx")

    assert [item.title for item in draft.items] == ["建设通苏嘉甬铁路", "推进公交优先"]
    assert "“2023年（已完成）”是2023年的表格，与本计划年度不同，未导入" in draft.uncertain()


def test_a_plan_of_more_items_than_one_import_takes_is_refused_saying_how_many(tmp_path, departments):
    """Found by trying: 28,000 items made a 27 MB preview whose form no browser could send back."""
    path = tmp_path / "plan.txt"
    items = "\n".join(f"{n}.第{n}项任务。" for n in range(1, MAX_ITEMS + 2))
    path.write_text(f"2023年某市人防工作要点\n一、甲\n{items}\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import_workplan", str(path), stdout=io.StringIO())

    assert f"文件中有 {MAX_ITEMS + 1} 项，超过一次导入的上限 {MAX_ITEMS} 项" in str(error.value)


@pytest.mark.parametrize("name", ["plan.txt", "plan.csv"])
def test_a_file_far_over_the_limit_is_refused_before_its_items_are_read(tmp_path, departments, monkeypatch, name):
    """Found by trying: a 10 MB text of 28,000 items was parsed for longer than a web worker may take before
    the item limit refused it. Far over the limit, the file is refused on its numbered lines or rows alone."""
    import tasks.importing as importing

    def never(*args, **kwargs):
        raise AssertionError("items read")

    monkeypatch.setattr(importing, "parse_outline", never)
    monkeypatch.setattr(importing, "parse_table", never)
    half = importing.MAX_LINES // 2
    items = "\n".join(f"{n}.第{n}项任务。" for n in range(1, half + 1))
    if name.endswith(".csv"):
        count = 2 * half + 1  # rows, the header's included
        body = "序号,工作任务,责任单位\n" + "\n".join(f"{n},第{n}项任务,市人防办" for n in range(1, 2 * half + 1))
    else:
        count = 2 * half + 2  # two sections of numbered items
        body = f"2023年某市人防工作要点\n一、甲\n{items}\n二、乙\n{items}"
    path = tmp_path / name
    path.write_text(body + "\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import_workplan", str(path), stdout=io.StringIO())

    assert f"文件中有 {count} 段编号文字或表格行，远超一次导入的上限 {MAX_ITEMS} 项" in str(error.value)


@pytest.mark.parametrize("name", ["plan.xlsx", "plan.csv"])
def test_a_sheet_formatted_far_below_its_rows_is_read_as_usual(read, name):
    """Found by review: blank rows that only carry a template's borders (and the empty lines Excel writes for
    them in a .csv) are not counted against the limit of rows."""
    tasks = [[n, f"第{n}项任务", "鄞州区", "年内"] for n in range(1, 31)]
    if name.endswith(".xlsx"):
        from openpyxl.styles import Border, Side

        book = Workbook()
        sheet = book.active
        sheet.append(["序号", "工作任务", "责任单位", "完成时间"])
        for row in tasks:
            sheet.append(row)
        thin = Side(style="thin")
        for row in sheet.iter_rows(min_row=32, max_row=12_000, max_col=4):
            for cell in row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    else:
        lines = ["序号,工作任务,责任单位,完成时间", *(",".join(map(str, row)) for row in tasks), *[",,,"] * 11_000]
        data = "\n".join(lines).encode("utf-8")

    draft = read(data, name, title="2023年某区重点工作")

    assert len(draft.items) == 30
