"""The office's import flow in the browser: upload or paste, preview and correct, confirm or discard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import ImportDraft, Task, Workplan

from .importing.documents import word_file

PLAN = """\
2023年某市人防工作要点
一、重点任务
1.推进指挥所建设。6月底前完成选址。（牵头单位：区发改局）
2.完善方案计划。
"""


@pytest.fixture
def office(actors, login):
    """The office signed in; the catalogue is the actors' (市办, 甲区, 乙区)."""
    return login(actors.office)


def upload(client, **data):
    return client.post(reverse("import_start"), {"title": "", "year": "", "text": "", **data})


def preview_data(response, **changes) -> dict:
    """Every field of the preview form as shown, with ``changes`` applied (field name → value)."""
    context = response.context
    data = {
        f"{form.prefix}-{name}" if form.prefix else name: value
        for form in [context["header"]]
        for name, value in form.initial.items()
    }
    for group in context["sections"]:
        for _, form in group["items"]:
            data.update({f"{form.prefix}-{name}": value for name, value in form.initial.items()})
    data = {key: ("" if value is None else str(value)) for key, value in data.items()}
    data.update(changes)
    return data


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("staff", 403), ("leader", 403), ("office", 200)])
def test_only_the_office_may_import(actors, login, who, status):
    client = login(getattr(actors, who) if who else None)

    assert client.get(reverse("import_start")).status_code == status


GONE = "这份导入草稿已不存在：可能已在另一个窗口导入或放弃。"


def gone(response) -> bool:
    """Sent back to the import page saying the draft is not there (the same words for another's draft)."""
    return response.status_code == 302 and response.url == reverse("import_start")


def test_another_users_draft_is_not_found(actors, login, office):
    other = ImportDraft.objects.create(created_by=actors.leader, filename="x.txt", content={})

    assert gone(office.get(reverse("import_preview", args=[other.pk])))
    assert login(actors.staff).get(reverse("import_preview", args=[other.pk])).status_code == 403
    assert ImportDraft.objects.filter(pk=other.pk).exists()


def test_confirming_again_in_a_second_window_says_the_draft_was_imported(office):
    """Found by trying: the preview open in two tabs; 确认导入 in the second after the first gave a bare 404."""
    page = office.get(upload(office, text=PLAN).url)
    draft_url, data = page.request["PATH_INFO"], preview_data(page, confirm="1")
    office.post(draft_url, data)

    again = office.post(draft_url, data, follow=True)

    assert GONE in again.content.decode()
    assert Workplan.objects.filter(year=2023).count() == 1


def test_pasted_text_becomes_a_draft_shown_with_what_is_uncertain(office):
    response = upload(office, text=PLAN)
    saved = ImportDraft.objects.get()

    assert response.url == reverse("import_preview", args=[saved.pk])
    page = office.get(response.url)
    assert "推进指挥所建设" in page.text and "6月底前" in page.text
    assert "<h2>一、重点任务</h2>" in page.text  # as the document and every other page number it, not 1、
    assert "“区发改局”不在单位名录中，将新建" in page.text
    assert not Workplan.objects.filter(year=2023).exists()


def test_bad_input_is_said_on_the_form_and_what_was_typed_stays(office):
    response = upload(office, text="没有编号的一段话", title="2023年某工作要点")

    assert response.status_code == 200
    assert "没有识别出任何编号事项" in response.text
    assert response.context["form"]["text"].value() == "没有编号的一段话"
    assert not ImportDraft.objects.exists()


def test_a_legacy_word_file_is_refused_with_what_to_do(office):
    legacy = SimpleUploadedFile("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)

    assert "这是旧版 Word 文件（.doc/.wps），请在 Word 或 WPS 中另存为 .docx" in upload(office, file=legacy).text


def test_corrections_are_kept_and_confirm_writes_them(office):
    page = office.get(
        upload(
            office, file=SimpleUploadedFile("plan.docx", word_file([(None, line) for line in PLAN.splitlines()]))
        ).url
    )
    draft_url = page.request["PATH_INFO"]
    data = preview_data(page, **{"item-0-lead": "甲区", "item-1-deadline": "2023-08-31", "save": "1"})

    office.post(draft_url, data)
    page = office.get(draft_url)  # a reload loses nothing
    assert page.context["sections"][0]["items"][0][1].initial["lead"] == "甲区"
    response = office.post(draft_url, preview_data(page, confirm="1"))

    assert response.url == reverse("task_list")
    first, second = Task.objects.filter(section__workplan__year=2023).order_by("number")
    assert first.lead_department.name == "甲区"
    assert str(second.deadline) == "2023-08-31"
    assert not ImportDraft.objects.exists()


def test_a_wrong_date_is_an_error_not_a_crash_and_keeps_the_typing(office):
    page = office.get(upload(office, text=PLAN).url)
    response = office.post(
        page.request["PATH_INFO"], preview_data(page, **{"item-0-deadline": "2023-13-45", "item-0-title": "改过的标题"})
    )

    assert response.status_code == 200
    assert "改过的标题" in response.text
    assert not Workplan.objects.filter(year=2023).exists()


def test_discarding_writes_nothing(office):
    saved_url = upload(office, text=PLAN).url
    pk = ImportDraft.objects.get().pk

    office.post(reverse("import_discard", args=[pk]))

    assert not ImportDraft.objects.exists()
    assert not Workplan.objects.filter(year=2023).exists()
    assert gone(office.get(saved_url))


def test_the_preview_drops_merges_and_maps_units(office):
    from departments.models import Department, DepartmentAlias

    page = office.get(upload(office, text=PLAN).url)
    yinzhou = Department.objects.get(name="甲区")
    data = preview_data(page, **{"item-1-action": "merge", "unit-0-department": str(yinzhou.pk), "confirm": "1"})

    office.post(page.request["PATH_INFO"], data)

    (task,) = Task.objects.filter(section__workplan__year=2023)
    assert task.body.endswith("完善方案计划")
    assert task.lead_department == yinzhou
    assert DepartmentAlias.objects.filter(name="区发改局", department=yinzhou).exists()


def test_a_revised_plan_shows_what_changes_before_anything_is_written(office):
    upload(office, text=PLAN)
    draft = ImportDraft.objects.get()
    page = office.get(reverse("import_preview", args=[draft.pk]))
    office.post(page.request["PATH_INFO"], preview_data(page, confirm="1"))
    revised = PLAN.replace("2.完善方案计划。", "2.新建疏散基地。\n3.完善方案计划。")

    page = office.get(upload(office, text=revised).url)

    assert "库中已有《2023年某市人防工作要点》，确认后将更新它" in page.text
    assert "新增：2 新建疏散基地" in page.text
    assert "编号变化：1-2 → 1-3 完善方案计划" in page.text
    assert Task.objects.filter(section__workplan__year=2023).count() == 2


def test_a_document_without_a_year_asks_for_it_and_keeps_the_text(office):
    text = "某办重点工作任务\n一、甲\n1.第一件事。6月底前完成。\n"
    response = upload(office, text=text)

    assert "文件中没有找到年度，请填写年度后重新生成预览" in response.text
    assert response.context["form"]["text"].value() == text
    assert upload(office, text=text, year="2024").status_code == 302


def test_dropping_every_item_is_refused_on_confirm(office):
    page = office.get(upload(office, text=PLAN).url)
    drop_all = {"item-0-action": "drop", "item-1-action": "drop", "confirm": "1"}

    response = office.post(page.request["PATH_INFO"], preview_data(page, **drop_all), follow=True)

    assert "没有任何任务，无法导入" in response.text
    assert not Workplan.objects.filter(year=2023).exists()


def test_an_empty_file_is_one_message_under_the_file(office):
    """Found by trying: a 0-byte .docx showed 提交的是空文件 under the field and 请选择文件或粘贴文字 above it,
    although a file was chosen."""
    response = upload(office, file=SimpleUploadedFile("plan.docx", b""))

    assert response.status_code == 200
    body = response.content.decode()
    assert "提交的是空文件" in body and "请选择文件或粘贴文字" not in body
    assert "请选择文件或粘贴文字" in upload(office).content.decode()
    assert not ImportDraft.objects.exists()


def test_a_plan_of_two_hundred_items_is_corrected_and_imported_from_the_preview(office):
    """Found by trying: past about 140 items the preview's fields passed Django's 1,000 and both buttons gave a 400."""
    items = "\n".join(f"{n}.第{n}项任务。（牵头单位：区发改局）" for n in range(1, 201))
    page = office.get(upload(office, text=f"2023年某市人防工作要点\n一、重点任务\n{items}\n").url)

    done = office.post(page.request["PATH_INFO"], preview_data(page, confirm="1"))

    assert done.status_code == 302
    assert Task.objects.filter(section__workplan__year=2023).count() == 200


def test_a_form_with_too_many_fields_is_a_400_that_says_so(office, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    page = office.get(upload(office, text=PLAN).url)

    refused = office.post(page.request["PATH_INFO"], preview_data(page, confirm="1"))

    assert refused.status_code == 400
    assert "栏目或文字太多（一次最多 10 栏）" in refused.content.decode()
    assert not Workplan.objects.filter(year=2023).exists()
