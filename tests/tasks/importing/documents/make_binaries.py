"""Rebuild the binary documents of this folder: ``.venv/bin/python tests/tasks/importing/documents/make_binaries.py``.

They are kept in the repository as files, as an office would upload them; this
script records how they were made: Word's own list numbering (numbering.xml,
not typed digits), a Word file whose body is the task table, a workbook with a
two-row header and merged 序号/section cells, a GBK .csv and a Big5 text.
"""

import datetime
import io
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE.parents[3]))

import docx  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tests.tasks.importing.documents import word_file  # noqa: E402


def district_breakdown_xlsx() -> bytes:
    """区政府工作报告重点任务分解: title row, two-row header, section rows, merged 序号 and 牵头领导 cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = "任务分解"
    rows = [
        ["2023年鄞州区政府工作报告重点任务分解表", None, None, None, None, None, None],
        ["序号", "重点任务", "具体内容", "牵头领导", "责任单位", None, "完成时限"],
        [None, None, None, None, "牵头单位", "配合单位", None],
        ["一、全力稳住经济大盘", None, None, None, None, None, None],
        [
            1,
            "扩大有效投资",
            "全年完成固定资产投资增长8%，一季度开工重大项目30个",
            "张明",
            "区发改局",
            "区住建局、区资规分局",
            "2023年12月底",
        ],
        [2, "推进招商引资", "全年引进亿元以上项目50个", "李华", "区商务局", "各镇（街道）", "12月底前"],
        ["二、加快城市有机更新", None, None, None, None, None, None],
        [3, "实施老旧小区改造", "完成老旧小区改造20个，6月底前全部开工", "王强", "区住建局", "相关街道", "11月底前"],
        [None, None, "同步推进加装电梯100台", None, None, None, None],
        [4, "打造美丽河湖", "建成美丽河湖3条，汛期前完成河道清淤", "王强", "区水利局", "区农业农村局", "10月底前"],
        ["注：牵头领导为区政府分管领导。", None, None, None, None, None, None],
    ]
    for row in rows:
        sheet.append(row)
    for merged in [
        "A1:G1",
        "E2:F2",
        "A2:A3",
        "B2:B3",
        "C2:C3",
        "D2:D3",
        "G2:G3",
        "A4:G4",
        "A7:G7",
        "A8:A9",
        "B8:B9",
        "D8:D9",
        "E8:E9",
        "F8:F9",
        "G8:G9",
        "A11:G11",
    ]:
        sheet.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gbk_csv() -> bytes:
    """A 任务清单 saved from Excel on Chinese Windows: GBK, CRLF, quoted cells with commas."""
    text = (
        "2023年嘉兴市数字化改革重点工作任务清单,,,,,\r\n"
        "序号,重点任务,主要内容,牵头单位,配合单位,完成时限\r\n"
        '1,建设城市大脑,"完善城市大脑中枢，上线应用场景10个",市大数据局,"市公安局,市交通运输局",2023年9月底前\r\n'
        "2,推进“浙里办”掌上办事,高频事项掌上可办率达到95%,市政务服务局,各县（市、区）政府,2023年6月\r\n"
        '3,数字乡村试点,"建设数字乡村示范村20个，持续推进数据共享",市农业农村局,市大数据局,年底前\r\n'
    )
    return text.encode("gbk")


def big5_text() -> bytes:
    """A plan in traditional characters, as re-posted by a Hong Kong or Taiwan site: Big5, CRLF."""
    text = (
        "2022年廈門市人民防空工作要點\r\n"
        "\r\n"
        "一、加強指揮體系建設\r\n"
        "（一）完善指揮所功能。6月底前完成市級指揮所信息化改造。（牽頭單位：市人防辦）\r\n"
        "（二）開展防空警報試鳴。9月17日組織全市防空警報試鳴。（牽頭單位：市人防辦；配合單位：市公安局）\r\n"
        "二、加強人防工程管理\r\n"
        "（三）開展工程質量檢查。三季度完成在建人防工程質量檢查。（牽頭單位：市人防辦；責任單位：市住房和城鄉建設局）\r\n"
        "\r\n"
        "廈門市人民防空辦公室\r\n"
        "2022年2月18日\r\n"
    )
    return text.encode("big5")


def word_numbered() -> bytes:
    """工作要点 in Word: 一、 / （一） / 1. by Word's multi-level list, annotations in 【】 and on their own lines."""
    return word_file(
        [
            (None, "绍兴市发展和改革委员会"),
            (None, "2024年工作要点"),
            (None, "2024年是实施“十四五”规划的关键一年。市发展改革委工作要点如下："),
            (0, "统筹推进重大项目建设"),
            (1, "抓好项目谋划"),
            (2, "编制年度重大项目计划。2月上旬前印发年度计划，3月中旬召开项目推进会。【牵头单位：投资处】"),
            (2, "建立项目储备库。7月份完成储备库建设，每季度更新。【牵头单位：投资处；协办单位：市财政局】"),
            (1, "强化项目服务"),
            (2, "开展项目服务专项行动。3-6月开展集中攻坚。"),
            (None, "牵头单位：市发展改革委"),
            (None, "参与单位：市自然资源和规划局、市生态环境局"),
            (0, "深化重点领域改革"),
            (1, "推进要素市场化配置"),
            (2, "深化能源价格改革。年中完成居民阶梯电价评估，2025年6月底前出台实施意见。【牵头单位：价格处】"),
            (None, "绍兴市发展和改革委员会"),
            (None, "2024年2月26日"),
        ]
    )


def word_table() -> bytes:
    """A Word file whose body is the task table (title paragraph, notice sentence, table with section rows)."""
    return word_file(
        [
            (None, "台州市2024年政府工作报告重点工作任务分解"),
            (None, "各县（市、区）人民政府，市政府直属各单位："),
            (None, "现将《台州市2024年政府工作报告重点工作任务分解》印发给你们，请认真抓好落实。"),
        ],
        table=[
            ["序号", "工作任务", "牵头领导", "牵头单位", "责任单位", "完成时间"],
            ["一、做强实体经济"],
            ["1", "新增规上工业企业300家以上", "陈副市长", "市经信局", "各县（市、区）政府", "2024年12月底前"],
            [
                "2",
                "实施工业技改项目500个，上半年完成投资额的50%",
                "陈副市长",
                "市经信局",
                "市发展改革委、市财政局",
                "2024年12月",
            ],
            ["二、提升城市能级"],
            [
                "3",
                "建成市域铁路S1线二期工程",
                "刘副市长",
                "市交通运输局",
                "临空经济区(空港新城)事务中心",
                "2024年9月30日",
            ],
        ],
    )


def city_tasks_xls() -> bytes:
    """市政府工作报告重点任务分解表 as an .xls (Excel 97-2003), the way many offices still publish it.

    Title and note rows above a header whose names carry a line break and a
    bracketed qualifier (牵头单位（部门）), a category column merged over its
    rows and numbered (一、经济发展), a real date cell, full-width digits,
    合计 and 备注 rows below. Built with openpyxl, then saved by LibreOffice
    (``soffice --headless --convert-to xls``): xlrd reads the result as Excel's own.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "任务清单"
    for row in [
        ["2024年绍兴市政府工作报告重点任务分解表"] + [None] * 6,
        ["填报单位：市府办督查室", None, None, None, None, "单位：项", None],
        ["序 号", "类别", "重点任务", "具体措施", "牵头单位\n（部门）", "责任单位\n（部门）", "完成\n时限"],
        [1, "一、经济发展", "扩大有效投资", "全年完成固定资产投资增长6%；\n一季度开工项目50个。", "市发改委",
         "各区、县（市）政府", datetime.date(2024, 12, 31)],
        [2, None, "促进消费", "举办“越有味”消费节。", "市商务局", "市文广旅游局\n市市场监管局", "国庆前"],
        [3, None, "稳定外贸", "新增外贸主体500家。", "市商务局", "绍兴海关、市贸促会", "每季度"],
        [4, "二、民生保障", "办好民生实事", "十件民生实事全部完成。", "市府办", "各有关单位", "年底前"],
        [5, None, "加强住房保障", "筹集保障性租赁住房1万套。", "市建设局", "越城区、柯桥区、上虞区",
         "２０２４年１０月底前"],
        ["合计", None, "5项", None, None, None, None],
        ["备注：各责任单位于每季度末5日前报送进展情况。", None, None, None, None, None, None],
    ]:  # fmt: skip
        sheet.append(row)
    for merged in ("A1:G1", "A10:G10", "B4:B6", "B7:B8"):
        sheet.merge_cells(merged)
    with tempfile.TemporaryDirectory() as folder:
        source = pathlib.Path(folder) / "tasks.xlsx"
        book.save(source)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xls",
             "--outdir", folder, str(source)],
            check=True, capture_output=True,
        )  # fmt: skip
        return (pathlib.Path(folder) / "tasks.xls").read_bytes()


def libreoffice(data: bytes, suffix: str) -> bytes:
    """``data`` (a .docx or .xlsx) opened and saved again by LibreOffice, as an office re-saving it would."""
    return libreoffice_file(data, suffix, suffix)


def word_line_breaks() -> bytes:
    """人防 工作要点 in Word whose items end their sentence with a manual line break (Shift+Enter)
    before the unit annotation, or put each 牵头单位/配合单位 line after one."""
    return word_file(
        [
            (None, "西安市人民防空办公室2025年工作要点"),
            (0, "加强战备建设"),
            (1, "修订完善人民防空预案。6月底前完成修订并报批。\x0b（牵头单位：战备处；责任单位：各区县人防办）"),
            (1, "推进指挥信息化建设，建成一体化指挥平台，年底前投入使用。（牵头单位：通信处）"),
            (0, "加强工程建设"),
            (1, "开展人防工程专项整治，三季度完成隐患整改。（牵头单位：工程处；配合单位：市住建局）"),
            (1, "落实易地建设费减免政策，按季度公开减免情况。\x0b牵头单位：工程处\x0b配合单位：市行政审批局"),
        ]
    )


def district_table_resaved() -> bytes:
    """区政府 重点工作任务分解表 in Word after the notice, a 牵头单位 cell merged down over two tasks,
    re-saved by LibreOffice (which writes the merge as <w:vMerge w:val="continue"/>)."""
    document = docx.Document()
    for text in (
        "上海市浦东新区人民政府办公室",
        "浦府办〔2025〕9号",
        "区政府办公室关于印发《2025年浦东新区政府工作报告重点工作任务分解表》的通知",
        "《2025年浦东新区政府工作报告重点工作任务分解表》已经区政府同意，现印发给你们，请认真按照执行。",
        "2025年1月24日",
        "2025年浦东新区政府工作报告重点工作任务分解表",
    ):
        document.add_paragraph(text)
    rows = [
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        ["一、着力推动经济高质量发展"],
        ["1", "全年实现地区生产总值增长5.5%左右", "区发展改革委", "区统计局、区经委", "全年"],
        ["2", "推进张江科学城建设，新增高新技术企业500家", "张江科学城管理局", "区科经委", "2025年12月底前"],
        ["二、持续保障和改善民生"],
        ["3", "新增养老床位1000张，建成社区长者食堂30家", "区民政局", "各街道、镇", "11月底前"],
        ["4", "新建改扩建学校10所", "区建交委", "区教育局", "9月1日前"],
        ["5", "完成旧住房成套改造10万平方米", None, "区房屋管理局、相关街道", "三季度末"],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
        if len(row) == 1:
            table.cell(r, 0).merge(table.cell(r, 4))
    table.cell(6, 2).merge(table.cell(7, 2))  # 区建交委 leads tasks 4 and 5
    out = io.BytesIO()
    document.save(out)
    return libreoffice(out.getvalue(), "docx")


def month_dates_xlsx() -> bytes:
    """商务局 任务清单, one sheet per part, 完成时限 typed as a month (2024/6): Excel keeps the 1st, shows no day."""
    book = Workbook()
    header = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]
    first = book.active
    first.title = "一、经济发展"
    for row in [
        ["苏州市商务局2024年重点工作任务清单", None, None, None, None],
        header,
        [1, "全年实际使用外资60亿美元", "外资处", "各县级市（区）商务局", "全年"],
        [2, "举办第十届中国苏州外贸交易会", "外贸处", "市贸促会", datetime.date(2024, 6, 1)],
        [3, "出台促进消费若干政策措施", "市场运行处", None, datetime.date(2024, 3, 1)],
    ]:
        first.append(row)
    first.merge_cells("A1:E1")
    first["E4"].number_format = first["E5"].number_format = 'yyyy"年"m"月"'
    second = book.create_sheet("二、开放平台")
    second.append(header)
    second.append([4, "推进自贸试验区苏州片区制度创新", "自贸处", "苏州工业园区管委会", datetime.date(2024, 10, 1)])
    second["E2"].number_format = "mmm-yy"
    second.append([5, "开展跨境电商综试区考核评估", "电商处", None, datetime.date(2024, 9, 30)])
    second["E3"].number_format = "yyyy/m/d"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def repeated_deadline_xlsx() -> bytes:
    """区 重点工作任务分解表 whose 完成时间 repeats the time its 具体措施 names; 序号 as "1、", 长期, 各有关单位."""
    book = Workbook()
    sheet = book.active
    for row in [
        ["附件1", None, None, None, None, None],
        ["天河区2023年重点工作任务分解表", None, None, None, None, None],
        ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时间"],
        ["1、", "推动数字经济发展", "新增规上软件企业50家，一季度完成招商签约20家", "区工信局", "区商务局、区科技局",
         datetime.date(2023, 12, 31)],
        ["2、", "优化营商环境", "推行“一网通办”，6月份实现高频事项100%网办", "区政务服务数据管理局", "各街道办事处",
         "6月份"],
        ["3、", "建设高品质公园", "新建口袋公园10个，9月底前完成", "区林业园林局", None, "2023年9月底前"],
        ["4、", "抓好安全生产", "开展安全生产大排查大整治", "区应急管理局", "各有关单位", "长期"],
    ]:  # fmt: skip
        sheet.append(row)
    sheet.merge_cells("A2:F2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# 数据局 工作要点 as written in LibreOffice (guangdong-zsj-2024.fodt, its flat XML): a page header and
# a page-number footer, a table of contents, a footnote and a comment inside items, a text box (专栏)
# anchored in an item, and an 附件 summary table after the body text.
DATA_BUREAU_FODT = (HERE / "guangdong-zsj-2024.fodt").read_text(encoding="utf-8")


def libreoffice_file(data: bytes, source_suffix: str, suffix: str) -> bytes:
    """``data`` (a file ending in ``source_suffix``) converted by LibreOffice to ``suffix``."""
    with tempfile.TemporaryDirectory() as folder:
        source = pathlib.Path(folder) / f"source.{source_suffix}"
        source.write_bytes(data)
        out = pathlib.Path(folder) / "out"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", suffix,
             "--outdir", str(out), str(source)],
            check=True, capture_output=True,
        )  # fmt: skip
        return (out / f"source.{suffix}").read_bytes()


def data_bureau_docx() -> bytes:
    """The 数据局 plan saved by LibreOffice as .docx: the body text is the plan, the 附件 table a summary."""
    return libreoffice_file(DATA_BUREAU_FODT.encode("utf-8"), "fodt", "docx")


def data_bureau_from_doc() -> bytes:
    """The same plan kept as an old .doc and converted to .docx by LibreOffice, as the office is told to."""
    return libreoffice_file(libreoffice_file(DATA_BUREAU_FODT.encode("utf-8"), "fodt", "doc"), "doc", "docx")


def two_column_tables_docx() -> bytes:
    """县政府办 工作要点 in Word: each part heading over its own 序号 | 工作内容 table, no unit column."""
    document = docx.Document()
    document.add_paragraph("2024年淳安县人民政府办公室工作要点")
    for heading, rows in [
        ("一、提升文稿服务质量", [
            ("1", "高质量起草政府工作报告等重要文稿。1月底前完成政府工作报告起草。（责任科室：综合科）"),
            ("2", "做好政务信息报送。每月报送信息不少于20条。（责任科室：信息科）"),
            ("3", "加强政务公开标准化建设。6月底前完成基层政务公开目录更新。（责任科室：政务公开科）"),
        ]),
        ("二、强化督查督办", [
            ("4", "开展重点工作专项督查。每季度开展一次。（责任科室：督查科）"),
            ("5", "做好人大建议政协提案办理。8月底前全部办结。（责任科室：督查科、建议提案办）"),
        ]),
    ]:  # fmt: skip
        document.add_paragraph(heading)
        table = document.add_table(rows=len(rows) + 1, cols=2)
        for r, (number, text) in enumerate([("序号", "工作内容"), *rows]):
            table.cell(r, 0).text, table.cell(r, 1).text = number, text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def hidden_rows_xlsx() -> bytes:
    """数据资源局 任务清单: a 填表说明 sheet first, the plan's header in row 3 under a merged title, a hidden
    withdrawn task (row 5) and a hidden remarks column, a 汇总 sheet after."""
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["填表说明：请各单位于每季度末前报送进展。"])
    sheet = book.create_sheet("任务清单")
    for row in [
        ["2024年杭州市数据资源管理局重点工作任务清单"],
        ["填报单位：                    填报时间："],
        ["序号", "重点任务", "内部备注", "牵头单位", "配合单位", "完成时限"],
        [1, "推进公共数据平台迭代升级", "原定二季度", "数据资源处", "技术保障处", "2024年第三季度"],
        [2, "建设城市大脑数字驾驶舱（已取消）", "撤销", "应用推进处", None, "6月底前"],
        [3, "开展数据安全专项检查", None, "数据安全处", "各区、县（市）数据资源局", "每季度"],
        [4, "推进首席数据官制度试点", None, "规划处", None, "年底前完成50%，2025年年底前全部完成"],
    ]:
        sheet.append(row)
    sheet.merge_cells("A1:F1")
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[5].hidden = True
    book.create_sheet("汇总").append(["单位", "任务数"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


if __name__ == "__main__":
    for name, make in [
        ("yinzhou-2023-report-breakdown.xlsx", district_breakdown_xlsx),
        ("jiaxing-2023-tasklist-gbk.csv", gbk_csv),
        ("xiamen-rf-2022-big5.txt", big5_text),
        ("shaoxing-fgw-2024-word-numbered.docx", word_numbered),
        ("taizhou-2024-word-table.docx", word_table),
        ("shaoxing-2024-tasks.xls", city_tasks_xls),
        ("xian-rf-2025-line-breaks.docx", word_line_breaks),
        ("pudong-2025-table-libreoffice.docx", district_table_resaved),
        ("suzhou-swj-2024-month-dates.xlsx", month_dates_xlsx),
        ("tianhe-2023-repeated-deadline.xlsx", repeated_deadline_xlsx),
        ("guangdong-zsj-2024-libreoffice.docx", data_bureau_docx),
        ("guangdong-zsj-2024-from-doc.docx", data_bureau_from_doc),
        ("chunan-2024-two-column-tables.docx", two_column_tables_docx),
        ("hangzhou-sjj-2024-hidden-rows.xlsx", hidden_rows_xlsx),
        ("hangzhou-sjj-2024-hidden-rows.xls", lambda: libreoffice_file(hidden_rows_xlsx(), "xlsx", "xls")),
    ]:
        (HERE / name).write_bytes(make())
