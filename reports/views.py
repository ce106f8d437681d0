import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import Role, role_of
from tasks.access import can_chase, can_report_on, can_review, sees_everything, visible_assignments, visible_tasks
from tasks.lights import LIGHTS_IN_ORDER
from tasks.models import Assignment, Workplan

from .dashboard import dashboard
from .exports import quarterly_table, write_quarterly_workbook
from .filters import AssignmentFilter, TaskFilter
from .forms import QuarterlyExportForm, ReportForm, ReviewForm
from .models import Chase, Evidence, Notification, ProgressReport
from .periods import quarter_of, reporting_quarter
from .reminders import chase_create
from .selectors import assignment_rows, task_rows
from .services import AlreadyReviewed, report_review, report_submit

PAGE_SIZE = 50


def _list_page(request, filterset, rows_for):
    """Filter, compute progress and paginate a list; light and status filter the computed rows.

    Without a light or status filter only the page's rows are computed, so the
    cost does not grow with the number of tasks.
    """
    if not filterset.is_valid():
        return None
    wanted_light = filterset.form.cleaned_data.get("light")
    wanted_status = filterset.form.cleaned_data.get("status")
    page_number = request.GET.get("page")
    if wanted_light or wanted_status:
        rows = [
            row
            for row in rows_for(filterset.qs)
            if (not wanted_light or row.progress.light == wanted_light)
            and (not wanted_status or row.progress.status == wanted_status)
        ]
        return Paginator(rows, PAGE_SIZE).get_page(page_number)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_number)
    page.object_list = rows_for(page.object_list)
    return page


@login_required
def home(request):
    """The start page: staff go to their own work, leaders and the office to every task."""
    if role_of(request.user) == Role.STAFF:
        return redirect("my_work")
    if sees_everything(request.user):
        return redirect("dashboard")
    raise PermissionDenied


@login_required
def my_work(request):
    """我的工作: the staff member's department's assignments, nearest deadline first."""
    user = request.user
    if role_of(user) != Role.STAFF or not user.department_id:
        if sees_everything(user):
            return redirect("task_list")
        raise PermissionDenied
    today = timezone.localdate()
    assignments = (
        Assignment.objects.filter(department_id=user.department_id)
        .select_related("task__section__workplan", "department")
        .order_by("task__deadline", "task__section__workplan", "task__section__ordinal", "task__number")
    )
    filterset = AssignmentFilter(request.GET, queryset=assignments)
    page = _list_page(request, filterset, lambda qs: assignment_rows(qs, as_of=today))
    return render(request, "reports/my_work.html", {"filter": filterset, "page": page, "today": today})


@login_required
def task_list(request):
    """全部任务: every task with its departments, for leaders and the office; 截至日期 in the URL."""
    if not sees_everything(request.user):
        raise PermissionDenied
    tasks = (
        visible_tasks(request.user)
        .select_related("section__workplan")
        .order_by("deadline", "section__workplan", "section__ordinal", "number")
    )
    filterset = TaskFilter(request.GET, queryset=tasks)
    as_of = _as_of(filterset)
    page = _list_page(request, filterset, lambda qs: task_rows(qs, as_of=as_of, with_reports=False))
    return render(request, "reports/task_list.html", {"filter": filterset, "page": page, "as_of": as_of})


def _as_of(filterset) -> datetime.date:
    """The filter's 截至日期, or today (Asia/Shanghai)."""
    if filterset.is_valid() and filterset.form.cleaned_data.get("as_of"):
        return filterset.form.cleaned_data["as_of"]
    return timezone.localdate()


@login_required
def dashboard_view(request):
    """驾驶舱: the plan's figures as of a date; every figure links to the list it counts."""
    if role_of(request.user) == Role.STAFF:
        return redirect("my_work")
    if not sees_everything(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("as_of", timezone.localdate().isoformat())  # the field shows the date the figures are for
    if not data.get("workplan"):
        latest = Workplan.objects.order_by("-year", "-pk").first()
        if latest is None:
            return render(request, "reports/dashboard.html", {"filter": TaskFilter(), "board": None})
        data["workplan"] = str(latest.pk)
    filterset = TaskFilter(data, queryset=visible_tasks(request.user))
    context = {"filter": filterset, "board": None}
    if filterset.is_valid():
        cleaned = filterset.form.cleaned_data
        board = dashboard(
            workplan=cleaned["workplan"],
            tasks=filterset.qs,
            as_of=_as_of(filterset),
            department=cleaned["department"],
            light=cleaned["light"],
        )
        links = _drill_down_links(board, data)
        context |= {"board": board, "links": links, "charts": _chart_data(board, links)}
    return render(request, "reports/dashboard.html", context)


def _drill_down_links(board, data) -> dict:
    """The task-list address behind every figure: the dashboard's own filters plus the figure's."""
    base = {key: data[key] for key in ("workplan", "section", "department", "light") if data.get(key)}
    base["as_of"] = board.as_of.isoformat()

    def link(**extra) -> str:
        return reverse("task_list") + "?" + urlencode(base | extra)

    return {
        "all": link(),
        "lights": {light.value: link(light=light.value) for light in LIGHTS_IN_ORDER},
        "sections": {bar.key: link(section=bar.key) for bar in board.sections},
        "departments": {bar.key: link(department=bar.key) for bar in board.departments},
        "quarters": {end.isoformat(): link(as_of=end.isoformat()) for _, end, _ in board.quarters},
    }


def _chart_data(board, links) -> dict:
    """What static/js/dashboard.js draws: names, values (percent 0–100) and the address each mark opens."""
    return {
        "lights": [
            {
                "name": str(light.label),
                "value": board.lights[light],
                "colour": light.colour,
                "url": links["lights"][light],
            }
            for light in LIGHTS_IN_ORDER
        ],
        "sections": [
            {"name": bar.label, "value": round(bar.percent, 1), "count": bar.count, "url": links["sections"][bar.key]}
            for bar in board.sections
        ],
        "departments": [
            {
                "name": bar.label,
                "value": round(bar.percent, 1),
                "count": bar.count,
                "onTime": None if bar.on_time_rate is None else round(bar.on_time_rate * 100, 1),
                "reported": bar.reported,
                "url": links["departments"][bar.key],
            }
            for bar in board.departments
        ],
        "quarters": [
            {"name": label, "value": round(percent, 1), "url": links["quarters"][end.isoformat()]}
            for label, end, percent in board.quarters
        ],
    }


@login_required
def task_detail(request, pk):
    """The task page: full text, departments with their light and latest report, milestones, every report."""
    task = get_object_or_404(visible_tasks(request.user).select_related("section__workplan"), pk=pk)
    today = timezone.localdate()
    (row,) = task_rows([task], as_of=today, with_last_submitted=True)
    reports = (
        ProgressReport.objects.filter(assignment__task=task)
        .select_related("assignment__department", "submitted_by", "review__reviewed_by")
        .prefetch_related("evidence")
        .newest_first()
    )
    return render(
        request,
        "reports/task_detail.html",
        {
            "task": task,
            "row": row,
            "milestones": task.milestones.all(),
            "reports": reports,
            "today": today,
            "reportable": [a for a, _ in row.assignments if can_report_on(request.user, a)],
            "can_chase": can_chase(request.user),
            "chases": Chase.objects.filter(assignment__task=task)
            .select_related("assignment__department", "created_by")
            .prefetch_related("logs__recipient"),
        },
    )


def _assignment_to_report_on(request, pk) -> Assignment:
    assignment = get_object_or_404(
        visible_assignments(request.user).select_related("task__section__workplan", "department").distinct(), pk=pk
    )
    if not can_report_on(request.user, assignment):
        raise PermissionDenied
    return assignment


def _default_quarter(workplan) -> int:
    return reporting_quarter(workplan.year, timezone.localdate()) or 1


@login_required
def report_create(request, pk):
    """The report form for one assignment (staff of its department only)."""
    assignment = _assignment_to_report_on(request, pk)
    today = timezone.localdate()
    (row,) = assignment_rows([assignment], as_of=today)
    context = {"assignment": assignment, "task": assignment.task, "progress": row.progress}
    if row.progress.closed:
        return render(request, "reports/report_form.html", context | {"form": None})

    last = row.progress.last_submitted
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            based_on = ProgressReport.objects.filter(assignment=assignment, pk=data["based_on"]).first()
            try:
                submission = report_submit(
                    assignment=assignment,
                    user=request.user,
                    quarter=data["quarter"],
                    status=data["status"],
                    percent_complete=data["percent_complete"],
                    progress_summary=data["progress_summary"],
                    problems=data["problems"],
                    next_steps=data["next_steps"],
                    evidence=data["evidence"],
                    based_on=based_on,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if submission.conflict:
                    messages.warning(request, _conflict_message(submission.conflict))
                else:
                    messages.success(request, _("已提交，等待督查办审核。"))
                return redirect("task_detail", pk=assignment.task_id)
    else:
        initial = {"quarter": _default_quarter(assignment.task.section.workplan), "based_on": last.pk if last else None}
        if last is not None:
            initial |= {
                # Re-filing a returned report keeps its quarter; a new report is for the current one.
                "quarter": last.quarter if row.progress.returned else initial["quarter"],
                "status": last.status,
                "percent_complete": last.percent_complete,
                "progress_summary": last.progress_summary,
                "problems": last.problems,
                "next_steps": last.next_steps,
            }
        form = ReportForm(initial=initial)
    return render(request, "reports/report_form.html", context | {"form": form, "returned": row.progress.returned})


def _conflict_message(other: ProgressReport) -> str:
    return _(
        "您填写期间，%(who)s 已于 %(when)s 提交了另一份报告（%(percent)s%%：%(summary)s）。"
        "两份报告都已保存，请在下方填报记录中核对。"
    ) % {
        "who": other.submitted_by.get_full_name() or other.submitted_by.username,
        "when": timezone.localtime(other.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "percent": other.percent_complete,
        "summary": other.progress_summary[:80],
    }


@login_required
def review_queue(request):
    """待审核: each assignment's newest undecided report, oldest first.

    Older undecided reports of the same assignment are superseded by it; the row
    says how many there are and links to the task page where all are listed.
    """
    if not can_review(request.user):
        raise PermissionDenied
    newest = ProgressReport.objects.filter(assignment=OuterRef("assignment")).newest_first().values("pk")[:1]
    older = (
        ProgressReport.objects.awaiting_review()
        .filter(assignment=OuterRef("assignment"), submitted_at__lt=OuterRef("submitted_at"))
        .order_by()
        .values("assignment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    reports = (
        ProgressReport.objects.awaiting_review()
        .annotate(newest_id=Subquery(newest), older_pending=Coalesce(Subquery(older), 0))
        .filter(pk=F("newest_id"))
        .select_related("assignment__task__section__workplan", "assignment__department", "submitted_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("submitted_at", "pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/review_queue.html", {"page": page})


@login_required
@require_POST
def review_create(request, pk):
    """Accept or return one report (office only). Answers htmx with the row, others with a redirect."""
    if not can_review(request.user):
        raise PermissionDenied
    report = get_object_or_404(
        ProgressReport.objects.select_related("assignment__task", "assignment__department", "submitted_by"), pk=pk
    )
    form = ReviewForm(request.POST)
    decided = None
    if form.is_valid():
        try:
            decided = report_review(
                report=report,
                user=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except AlreadyReviewed as exc:
            decided = exc.review
            form.add_error(
                None,
                _("该报告已由 %(who)s 审核（%(decision)s）。")
                % {"who": exc.review.reviewed_by.username, "decision": exc.review.get_decision_display()},
            )
    if request.headers.get("HX-Request"):
        return render(request, "reports/_review_row.html", {"report": report, "form": form, "decided": decided})
    problems = "；".join(e for errors in form.errors.values() for e in errors)
    if problems:
        messages.error(request, problems)
    else:
        messages.success(
            request,
            _("已%(decision)s：%(task)s")
            % {"decision": decided.get_decision_display(), "task": report.assignment.task},
        )
    return redirect("review_queue")


@login_required
def evidence_download(request, pk):
    """Serve an evidence file to a user who may see its task; 404 for everybody else."""
    evidence = get_object_or_404(Evidence.objects.select_related("report__assignment"), pk=pk)
    if not visible_tasks(request.user).filter(pk=evidence.report.assignment.task_id).exists():
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@login_required
def report_export(request):
    """报表: pick plan, quarter and optionally a department; with them in the URL, download the Excel table."""
    if not sees_everything(request.user):
        raise PermissionDenied
    if "quarter" not in request.GET:
        initial = {"quarter": quarter_of(timezone.localdate())}
        return render(request, "reports/export.html", {"form": QuarterlyExportForm(initial=initial)})
    form = QuarterlyExportForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/export.html", {"form": form}, status=400)
    table = quarterly_table(
        workplan=form.cleaned_data["workplan"],
        quarter=form.cleaned_data["quarter"],
        department=form.cleaned_data["department"],
    )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=table.filename)
    write_quarterly_workbook(table, response)
    return response


@login_required
def notification_list(request):
    """站内通知: the user's notifications, newest first; opening the list marks them read."""
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())  # before the bell is drawn
    return render(request, "reports/notifications.html", {"page": page, "unread_ids": unread})


@login_required
@require_POST
def chase_create_view(request, pk):
    """催办 one assignment (office only), with an optional message; back to the task page."""
    if not can_chase(request.user):
        raise PermissionDenied
    assignment = get_object_or_404(Assignment.objects.select_related("task", "department"), pk=pk)
    try:
        chase = chase_create(assignment=assignment, user=request.user, message=request.POST.get("message", "")[:2000])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("task_detail", pk=assignment.task_id)
    recipients = chase.logs.count()
    if recipients:
        messages.success(
            request,
            _("已催办%(department)s，通知 %(n)d 人。")
            % {"department": assignment.department.display_name, "n": recipients},
        )
    else:
        messages.warning(
            request,
            _("已记录催办，但%(department)s没有填报员账号，无人收到通知。")
            % {"department": assignment.department.display_name},
        )
    return redirect("task_detail", pk=assignment.task_id)
