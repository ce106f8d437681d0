"""The writing side's pages: the report form, the review queue and decisions, evidence downloads, 定稿."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.editing import form_errors_text, kept_form_data, login_required_keeping_typed, sentences
from departments.paging import Paginator
from tasks.access import can_report_on, can_review, visible_assignments, visible_tasks
from tasks.models import Assignment

from .forms import QuarterFinaliseForm, ReportForm, ReviewForm
from .models import Evidence, ProgressReport, QuarterFinalisation
from .periods import period_label, reporting_quarter
from .quarters import quarter_finalise, quarter_reopen
from .selectors import assignment_rows, review_queue_reports
from .services import AlreadyReviewed, report_review, report_submit

PAGE_SIZE = 50


def _assignment_to_report_on(request, pk) -> Assignment:
    """The assignment ``pk`` if the user sees it (else 404) and may report on it (else 403)."""
    assignment = get_object_or_404(
        visible_assignments(request.user).select_related("task__section__workplan", "department").distinct(), pk=pk
    )
    if not can_report_on(request.user, assignment):
        raise PermissionDenied
    return assignment


def _initial(assignment: Assignment, progress) -> dict:
    """The form as the author left it last time; a new report is for the current quarter.

    Once the plan's year has ended that is its last quarter (reporting_quarter);
    re-filing a returned report keeps its quarter.
    """
    quarter = reporting_quarter(assignment.task.section.workplan.year, timezone.localdate()) or 1
    last = progress.last_submitted
    if last is None:
        return {"quarter": quarter, "based_on": None}
    return {
        "quarter": last.quarter if progress.returned else quarter,
        "based_on": last.pk,
        "status": last.status,
        "percent_complete": last.percent_complete,
        "progress_summary": last.progress_summary,
        "problems": last.problems,
        "next_steps": last.next_steps,
    }


def _submit(request, assignment: Assignment, form: ReportForm) -> bool:
    """File the form's report; False (with the error on the form) when a rule refuses it."""
    data = dict(form.cleaned_data)
    data["based_on"] = ProgressReport.objects.filter(assignment=assignment, pk=data["based_on"]).first()
    try:
        submission = report_submit(assignment=assignment, user=request.user, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    if submission.replayed:
        messages.info(request, _("这份报告已经提交过，未重复保存。"))
    elif submission.conflict:
        messages.warning(request, _conflict_message(submission.conflict))
    else:
        messages.success(request, _("已提交，等待督查办审核。"))
    return True


@login_required_keeping_typed
def report_create(request, pk):
    """The report form for one assignment (staff of its department only)."""
    assignment = _assignment_to_report_on(request, pk)
    (row,) = assignment_rows([assignment], as_of=timezone.localdate())
    context = {"assignment": assignment, "task": assignment.task, "progress": row.progress}
    if row.progress.closed:
        return render(request, "progress/report_form.html", context | {"form": None})
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, year=assignment.task.section.workplan.year)
        if form.is_valid() and _submit(request, assignment, form):
            return redirect("task_detail", pk=assignment.task_id)
    else:
        # what was typed before the session ended comes back over the last report's values
        initial = _initial(assignment, row.progress) | kept_form_data(request)
        form = ReportForm(initial=initial, year=assignment.task.section.workplan.year)
    return render(request, "progress/report_form.html", context | {"form": form, "returned": row.progress.returned})


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
    """待审核: each assignment's newest undecided report for each quarter, oldest first (see
    selectors.review_queue_reports)."""
    if not can_review(request.user):
        raise PermissionDenied
    page = Paginator(review_queue_reports(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "progress/review_queue.html", {"page": page})


@login_required_keeping_typed
@require_POST
def review_create(request, pk):
    """Accept or return one report (office only). Answers htmx with the row and the count, others with a redirect."""
    if not can_review(request.user):
        raise PermissionDenied
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "assignment__task__section__workplan", "assignment__department", "submitted_by"
        ),
        pk=pk,
    )
    form = ReviewForm(request.POST)
    decided = None
    if form.is_valid():
        try:
            decided = report_review(report=report, user=request.user, **form.cleaned_data)
        except AlreadyReviewed as exc:
            decided = exc.review
            form.add_error(
                None,
                _("该报告已由 %(who)s 审核（%(decision)s）。")
                % {
                    # The name the office knows the reviewer by (a login name only when none was given).
                    "who": exc.review.reviewed_by.get_full_name() or exc.review.reviewed_by.username,
                    "decision": exc.review.get_decision_display(),
                },
            )
    if request.headers.get("HX-Request"):  # the row, and the queue's count swapped out of band (待审核 N)
        context = {"report": report, "form": form, "decided": decided, "pending": review_queue_reports().count()}
        return render(request, "progress/_review_answer.html", context)
    problems = form_errors_text(form)
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


def _back_to_export(finalisation_or_plan, quarter: int):
    plan = getattr(finalisation_or_plan, "workplan", finalisation_or_plan)
    return redirect(f"{reverse('report_export')}?{urlencode({'workplan': plan.pk, 'show': quarter})}")


@login_required_keeping_typed
@require_POST
def quarter_finalise_view(request):
    """定稿 from the export page (office only): freeze the chosen plan's quarter table."""
    if not can_review(request.user):
        raise PermissionDenied
    form = QuarterFinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("report_export")
    plan, quarter = form.cleaned_data["workplan"], form.cleaned_data["quarter"]
    try:
        quarter_finalise(workplan=plan, quarter=quarter, user=request.user)
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    else:
        messages.success(request, _("已定稿：%(period)s") % {"period": period_label(plan.year, quarter)})
    return _back_to_export(plan, quarter)


@login_required_keeping_typed
@require_POST
def quarter_reopen_view(request, pk):
    """撤销定稿 (office only, with a reason): the quarter's table is a draft again; the finalisation keeps the log."""
    if not can_review(request.user):
        raise PermissionDenied
    finalisation = get_object_or_404(QuarterFinalisation.objects.select_related("workplan"), pk=pk)
    try:
        quarter_reopen(finalisation=finalisation, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    else:
        messages.success(request, _("已撤销定稿：%(period)s") % {"period": finalisation.period_label})
    return _back_to_export(finalisation, finalisation.quarter)
