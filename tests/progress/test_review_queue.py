"""待审核: what the office reads before deciding, and the count that follows its decisions."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from progress.models import Evidence
from tests.factories import ReportFactory


def count_shown(html: str) -> int:
    return int(re.search(r'id="review-count"[^>]*>待审核 (\d+) 份报告<', html).group(1))


def test_the_queue_shows_problems_next_steps_and_evidence(actors, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(
        assignment=actors.assignment,
        progress_summary="选址已完成",
        problems="资金尚未到位\n施工单位待定",
        next_steps="下月完成招标",
    )
    Evidence.objects.create(report=report, file=ContentFile(b"x", name="a.jpg"), original_name="现场照片.jpg", size=1)
    ReportFactory(assignment=actors.lead, problems="", next_steps="")

    html = login(actors.office).get(reverse("review_queue")).content.decode()

    row = html[html.index(f'id="report-{report.pk}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r"<dt>存在问题</dt><dd>资金尚未到位<br>施工单位待定</dd>", row)
    assert "<dt>下步计划</dt><dd>下月完成招标</dd>" in row
    evidence = Evidence.objects.get()
    assert f'<a href="{reverse("evidence_download", args=[evidence.pk])}">现场照片.jpg</a>' in row
    assert html.count("（未填）") == 2  # the lead's report: both left empty, said so
    assert count_shown(html) == 2


def test_a_decision_answers_with_the_row_and_the_new_count(actors, login):
    first = ReportFactory(assignment=actors.assignment)
    ReportFactory(assignment=actors.lead)
    office = login(actors.office)

    answer = office.post(
        reverse("review_create", args=[first.pk]), {"decision": "accepted"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "已通过" in answer
    assert 'hx-swap-oob="true"' in answer and count_shown(answer) == 1
    assert count_shown(office.get(reverse("review_queue")).content.decode()) == 1


def test_a_refused_decision_keeps_the_count(actors, login):
    report = ReportFactory(assignment=actors.assignment)

    office = login(actors.office)
    url = reverse("review_create", args=[report.pk])

    answer = office.post(url, {"decision": "returned", "reason": ""}, HTTP_HX_REQUEST="true").content.decode()

    assert "退回时须写明原因。" in answer and count_shown(answer) == 1
