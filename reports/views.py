"""The reading side's pages: start page, 我的工作, 全部任务, the task page, the dashboard and the quarterly download."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from departments.roles import Role, role_of
from progress.aggregates import progress_by_task
from progress.periods import quarter_of, reporting_quarter
from progress.selectors import (
    assignment_figures,
    assignment_rows,
    extension_requests_of_task,
    quarter_states,
    reports_of_task,
    task_rows,
    with_standing,
)
from reminders.selectors import chases_of_task
from tasks.access import (
    can_chase,
    can_report_on,
    can_request_extension,
    can_review,
    is_office,
    sees_everything,
    visible_tasks,
)
from tasks.models import Assignment, Workplan, list_ordering

from .charts import chart_data, drill_down_links
from .dashboard import kept_dashboard, latest_plan
from .exports import quarterly_table, write_quarterly_workbook
from .filters import AssignmentFilter, TaskFilter
from .forms import PeriodForm, QuarterlyExportForm
from .lists import list_page


def _not_set_up(request, missing: str):
    """The page for a signed-in account nobody finished setting up (``missing``: "department" or "role"): what
    is missing and whom to ask, instead of a 403 whose 返回首页 leads back to the same 403."""
    return render(request, "account_not_set_up.html", {"missing": missing}, status=403)


@login_required
def home(request):
    """The start page: staff go to their own work, leaders and the office to every task."""
    role = role_of(request.user)
    if role == Role.STAFF:
        return redirect("my_work") if request.user.department_id else _not_set_up(request, "department")
    if sees_everything(request.user):
        return redirect("dashboard")
    if role is None:
        return _not_set_up(request, "role")
    raise PermissionDenied


@login_required
def my_work(request):
    """我的工作: the staff member's department's assignments, nearest deadline first."""
    user = request.user
    if role_of(user) != Role.STAFF or not user.department_id:
        if sees_everything(user):
            return redirect("task_list")
        return _not_set_up(request, "department" if role_of(user) == Role.STAFF else "role")
    today = timezone.localdate()
    own = Assignment.objects.filter(department_id=user.department_id).order_by(*list_ordering("task"))
    assignments = with_standing(own, today).select_related("task__section__workplan", "department")
    filterset = AssignmentFilter(request.GET, queryset=assignments)
    page = list_page(
        request,
        filterset,
        lambda qs: assignment_rows(qs, as_of=today, with_reports=False),
        lambda qs: assignment_figures(qs, as_of=today),
        as_of=today,
        plain=own,
    )
    paperwork = QuarterlyExportForm(initial={"quarter": quarter_of(today)}, prefix="fill_in")
    context = {"filter": filterset, "page": page, "today": today, "paperwork": paperwork}
    return render(request, "reports/my_work.html", context)


@login_required
def task_list(request):
    """全部任务: every task with its departments, for leaders and the office; 截至日期 in the URL."""
    if not sees_everything(request.user):
        raise PermissionDenied
    tasks = visible_tasks(request.user).select_related("section__workplan").order_by(*list_ordering())
    filterset = TaskFilter(request.GET, queryset=tasks)
    as_of = _as_of(filterset)
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    # Filtered to one department, each row shows that department's standing on the task (light, status, percent).
    department = cleaned.get("department")
    wanted = {"light": cleaned.get("light") or "", "status": cleaned.get("status") or ""}
    page = list_page(
        request,
        filterset,
        lambda qs: task_rows(qs, as_of=as_of, with_reports=False, department=department),
        lambda qs: progress_by_task(qs, as_of=as_of, department=department, **wanted),
        as_of=as_of,
    )
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
    filterset = TaskFilter(data, queryset=visible_tasks(request.user))
    if not data.get("workplan"):
        latest = latest_plan(filterset.form.fields["workplan"].options())  # the picker's plans: read once
        if latest is None:
            return render(request, "reports/dashboard.html", {"filter": TaskFilter(), "board": None})
        data["workplan"] = str(latest.pk)  # the form is bound to ``data``: it validates this below
    context = {"filter": filterset, "board": None}
    if filterset.is_valid():
        board = kept_dashboard(filterset, _as_of(filterset))
        links = drill_down_links(board, data)
        context |= {"board": board, "links": links, "charts": chart_data(board, links)}
    return render(request, "reports/dashboard.html", context)


@login_required
def task_detail(request, pk):
    """The task page: full text, departments with their light and latest report, milestones, every report."""
    task = get_object_or_404(visible_tasks(request.user).select_related("section__workplan"), pk=pk)
    today = timezone.localdate()
    reports = list(reports_of_task(task))  # every report of the task: the standing ones come from here too
    (row,) = task_rows([task], as_of=today, with_last_submitted=True, known_reports={r.pk: r for r in reports})
    # The viewer's own department first (staff on a phone find their 填报 without scrolling past ten units).
    own = request.user.department_id
    assignments = sorted(row.assignments, key=lambda pair: own is None or pair[0].department_id != own)
    return render(
        request,
        "reports/task_detail.html",
        {
            "task": task,
            "row": row,
            "assignments": assignments,
            "milestones": task.milestones.all(),
            "reports": reports,
            "today": today,
            "reportable": [a for a, _ in row.assignments if can_report_on(request.user, a)],
            "extendable": [a for a, _ in row.assignments if can_request_extension(request.user, a)],
            "extensions": extension_requests_of_task(task),
            "can_chase": can_chase(request.user),
            "chases": chases_of_task(task),
        },
    )


@login_required
def report_export(request):
    """报表: pick plan, quarter and optionally a department; with them in the URL, download the Excel table."""
    if not sees_everything(request.user):
        raise PermissionDenied
    initial = {"quarter": quarter_of(timezone.localdate())}
    paperwork = QuarterlyExportForm(initial=initial, prefix="fill_in") if is_office(request.user) else None
    context = {"paperwork": paperwork, "bulletin": PeriodForm(initial=initial, prefix="bulletin")}
    if "quarter" not in request.GET:
        form = QuarterlyExportForm(initial={"workplan": request.GET.get("workplan")} | initial)
        if form.plan:
            form.initial |= {"workplan": form.plan, "quarter": _default_quarter(form.plan, request.GET.get("show"))}
        return render(request, "reports/export.html", context | _export_context(request, form))
    form = QuarterlyExportForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/export.html", context | _export_context(request, form), status=400)
    table = quarterly_table(
        workplan=form.cleaned_data["workplan"],
        quarter=form.cleaned_data["quarter"],
        department=form.cleaned_data["department"],
    )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=table.filename)
    write_quarterly_workbook(table, response)
    return response


def _default_quarter(plan: Workplan, shown: str | None) -> int:
    """The quarter the export form starts on: the one just acted on, else the plan's reporting quarter."""
    if shown in ("1", "2", "3", "4"):
        return int(shown)
    return reporting_quarter(plan.year, timezone.localdate()) or 1


def _export_context(request, form) -> dict:
    """The form, and each quarter of its plan with its 定稿 state and log (buttons for the office)."""
    states = quarter_states(form.plan) if form.plan else []
    return {"form": form, "states": states, "can_finalise": can_review(request.user)}
