"""催办: the office chases an assignment; its staff see it in the bell and by e-mail; the task page logs it."""

import pytest
from django.core import mail
from django.urls import reverse

from reminders.models import Chase, Notification


def chase(client, assignment, message="请本周内报送进展"):
    return client.post(reverse("chase_create", args=[assignment.pk]), {"message": message})


def test_the_office_chases_and_staff_are_notified(actors, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = chase(login(actors.office), actors.assignment)

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["staff-a@example.org"]
    assert message.subject == f"【催办】{actors.task.number}. 推进指挥所建设"
    assert "催办说明：请本周内报送进展" in message.body
    staff = login(actors.staff)
    page = staff.get(reverse("my_work")).content.decode()
    assert '<span class="count" id="unread-count">1</span>' in page
    notifications = staff.get(reverse("notifications")).content.decode()
    assert "请本周内报送进展" in notifications
    assert Notification.objects.get().read_at is not None
    assert 'id="unread-count"' not in staff.get(reverse("my_work")).content.decode()


def test_the_task_page_logs_who_chased_when(actors, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        chase(login(actors.office), actors.assignment, "尽快")

    page = login(actors.leader).get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert "催办记录" in page and "催办 甲区：尽快" in page and "staff-a 已发送" in page


@pytest.mark.parametrize("role", ["staff", "outsider", "leader"])
def test_only_the_office_chases(actors, login, role):
    assert chase(login(getattr(actors, role)), actors.assignment).status_code == 403
    assert not Chase.objects.exists()


def test_a_department_without_staff_is_chased_on_record(actors, login):
    response = chase(login(actors.office), actors.lead)

    assert Chase.objects.count() == 1
    page = login(actors.office).get(response.url).content.decode()
    assert "没有填报员账号" in page


def test_a_chase_message_with_a_nul_is_refused_with_a_message(actors, login):
    """Read through a form field: PostgreSQL would refuse the NUL with a 500."""
    office = login(actors.office)

    response = chase(office, actors.assignment, "请\x00尽快")

    assert response.status_code == 302
    assert not Chase.objects.exists()
    page = office.get(response.url).content.decode()
    assert "不能包含空字符（NUL），请删除后再提交。" in page


def test_a_title_with_quotes_and_ampersands_reaches_subject_and_bell_as_typed(
    actors, login, django_capture_on_commit_callbacks
):
    actors.task.title = '推进"平战结合"&人防工程<建设>'
    actors.task.save()

    with django_capture_on_commit_callbacks(execute=True):
        chase(login(actors.office), actors.assignment)

    (message,) = mail.outbox
    assert message.subject == f'【催办】{actors.task.number}. 推进"平战结合"&人防工程<建设>'
    assert Notification.objects.get().title == message.subject
    bell = login(actors.staff).get(reverse("notifications")).content.decode()
    assert "推进&quot;平战结合&quot;&amp;人防工程&lt;建设&gt;" in bell  # escaped once, by the page
    assert "&amp;quot;" not in bell and "&amp;amp;" not in bell
    html = message.alternatives[0][0]
    assert "&amp;人防工程&lt;建设&gt;" in html and "&amp;amp;" not in html
