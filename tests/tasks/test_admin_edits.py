"""Two office users editing in the admin: a stale save is refused, naming who saved; reported assignments stay put."""

import datetime

import pytest
from django.urls import reverse

from progress.models import ProgressReport
from tasks.models import Assignment, Task
from tests.factories import DepartmentFactory, ReportFactory, UserFactory


@pytest.fixture
def editors(db):
    a = UserFactory(username="office-a", first_name="王科长", is_staff=True, is_superuser=True)
    b = UserFactory(username="office-b", is_staff=True, is_superuser=True)
    return a, b


def form_data(response) -> dict:
    """What the browser would send back from an admin change page, untouched (main form and inlines)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:  # none on a history revert page
        management = inline.formset.management_form
        data |= {management.add_prefix(k): str(v) for k, v in management.initial.items()}
        for form in inline.formset.forms:
            add(form)
    return data


def open_page(client, user, url):
    client.force_login(user)
    return form_data(client.get(url))


def test_a_save_from_a_page_opened_before_another_save_is_refused_naming_who(actors, editors, client):
    a, b = editors
    url = reverse("admin:tasks_task_change", args=[actors.task.pk])
    seen_by_a, seen_by_b = open_page(client, a, url), open_page(client, b, url)

    client.force_login(a)
    assert client.post(url, seen_by_a | {"deadline": "2021-10-31"}).status_code == 302
    client.force_login(b)
    role_field = next(k for k, v in seen_by_b.items() if k.endswith("-role") and v == "responsible")
    refused = client.post(url, seen_by_b | {role_field: "supporting"})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "王科长 已于" in page and "修改了这条记录" in page
    task = Task.objects.get(pk=actors.task.pk)
    assert task.deadline == datetime.date(2021, 10, 31)  # A's deadline stands
    assert actors.assignment.__class__.objects.get(pk=actors.assignment.pk).role == "responsible"
    assert (task.changed_by, task.version) == (a, 2)


def test_a_fresh_page_after_the_other_save_goes_through(actors, editors, client):
    a, b = editors
    url = reverse("admin:tasks_task_change", args=[actors.task.pk])
    client.force_login(a)
    client.post(url, open_page(client, a, url) | {"deadline": "2021-10-31"})

    response = client.post(url, open_page(client, b, url) | {"body": "年内完成，10月底前验收。"})

    assert response.status_code == 302
    task = Task.objects.get(pk=actors.task.pk)
    assert (task.deadline, task.body, task.changed_by) == (datetime.date(2021, 10, 31), "年内完成，10月底前验收。", b)


def test_a_departments_stale_save_is_refused_too(editors, client):
    a, b = editors
    department = DepartmentFactory(code="x", name="某区", email="old@example.org")
    url = reverse("admin:departments_department_change", args=[department.pk])
    seen_by_a, seen_by_b = open_page(client, a, url), open_page(client, b, url)
    client.force_login(a)
    client.post(url, seen_by_a | {"email": "new@example.org"})

    client.force_login(b)
    refused = client.post(url, seen_by_b | {"short_name": "某某"})

    assert "修改了这条记录" in refused.content.decode()
    department.refresh_from_db()
    assert (department.email, department.short_name) == ("new@example.org", "某")


def test_an_assignment_with_reports_cannot_be_moved_to_another_department(actors, editors, client):
    ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    other = DepartmentFactory(code="c", name="丙区")
    client.force_login(editors[0])
    url = reverse("admin:tasks_task_change", args=[actors.task.pk])
    data = form_data(client.get(url))
    department_field = next(
        k for k, v in data.items() if k.endswith("-department") and v == str(actors.assignment.department_id)
    )

    refused = client.post(url, data | {department_field: str(other.pk)})

    assert "这条责任分解已有进展报告，不能改到其他单位或任务" in refused.content.decode()
    assert Assignment.objects.get(pk=actors.assignment.pk).department_id == actors.assignment.department_id
    assert ProgressReport.objects.get().assignment.department.code == "a"


def test_the_assignment_page_shows_task_and_department_fixed_once_reported(actors, editors, client):
    ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    client.force_login(editors[0])

    form = client.get(reverse("admin:tasks_assignment_change", args=[actors.assignment.pk])).context["adminform"].form

    assert "department" not in form.fields and "task" not in form.fields and "role" in form.fields


def test_an_assignment_without_reports_can_still_be_moved(actors):
    actors.assignment.department = DepartmentFactory(code="c", name="丙区")
    actors.assignment.full_clean()
    actors.assignment.save()

    assert Assignment.objects.get(pk=actors.assignment.pk).department.code == "c"


def test_reverting_to_an_older_version_from_the_history_is_not_refused(actors, editors, client):
    a, b = editors
    url = reverse("admin:tasks_task_change", args=[actors.task.pk])
    client.force_login(a)
    client.post(url, open_page(client, a, url) | {"deadline": "2021-10-31"})
    oldest = actors.task.history.order_by("history_id").first()
    revert_url = reverse("admin:tasks_task_simple_history", args=[actors.task.pk, oldest.history_id])

    client.force_login(b)
    response = client.post(revert_url, form_data(client.get(revert_url)))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Task.objects.get(pk=actors.task.pk).deadline == oldest.deadline


@pytest.mark.parametrize("who", ["superuser", "office"])
def test_the_admin_adds_a_task_and_a_department(actors, editors, client, who):
    """An add page carries no version yet: the new row starts at version 1 (it failed with a null version)."""
    user = editors[0] if who == "superuser" else actors.office
    user.is_staff = True  # the office signs in to the admin with its role's permissions
    user.save()
    task_page = open_page(client, user, reverse("admin:tasks_task_add"))
    # A browser sends the add page's hidden version field empty.
    task_page |= {"section": str(actors.task.section_id), "number": "99", "title": "新增任务", "deadline": "2021-12-31"}
    task_page["version"] = ""
    department_page = open_page(client, user, reverse("admin:departments_department_add"))
    department_page |= {"code": "xinshe", "name": "宁波市新设局", "short_name": "新设局", "level": "municipal"}
    department_page["version"] = ""

    added_task = client.post(reverse("admin:tasks_task_add"), task_page)
    added_department = client.post(reverse("admin:departments_department_add"), department_page)

    assert added_task.status_code == 302, added_task.context["adminform"].form.errors
    assert added_department.status_code == 302, added_department.context["adminform"].form.errors
    assert Task.objects.get(title="新增任务").version == 1
