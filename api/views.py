"""The API's endpoints. Each asks tasks.access who may see or do what, and writes through progress.services.

Reads answer with an ETag (urls.conditional); every error has one JSON shape (errors.py).
"""

from collections.abc import Mapping

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.models import Department
from progress.aggregates import progress_by_task
from progress.forms import ReportForm, ReviewForm
from progress.models import Evidence, ProgressReport, Review
from progress.selectors import task_rows
from progress.services import AlreadyReviewed, report_review, report_submit
from reports.exports import quarterly_table
from reports.filters import TaskFilter, in_given_order
from reports.forms import QuarterlyExportForm
from tasks.access import can_report_on, can_review, sees_everything, visible_assignments, visible_tasks
from tasks.models import Task, Workplan, list_ordering

from . import serializers as s
from .selectors import table_document, task_page
from .services import submission_token_for


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _valid(form):
    """The form's cleaned data; a 400 with the form's own (Chinese) messages when it is not valid."""
    if not form.is_valid():
        raise exceptions.ValidationError(form.errors)
    return form.cleaned_data


class WorkplanList(generics.ListAPIView):
    """工作要点: the plans holding a task the user may see, newest year first, with their sections."""

    serializer_class = s.WorkplanSerializer

    def get_queryset(self):
        plans = visible_tasks(self.request.user).values("section__workplan")
        return Workplan.objects.filter(pk__in=plans).prefetch_related("sections").order_by("-year", "title", "pk")


class DepartmentList(generics.ListAPIView):
    """单位: the active departments, in catalogue order (ids for the ?department= filter)."""

    serializer_class = s.DepartmentSerializer
    queryset = Department.objects.active()


class TaskList(generics.ListAPIView):
    """工作任务: the tasks the user may open, filtered as on the pages, with figures as of ?as_of= (default today)."""

    serializer_class = s.TaskRowSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter

    def get_queryset(self):
        return visible_tasks(self.request.user).select_related("section__workplan").order_by(*list_ordering(), "pk")

    def list(self, request, *args, **kwargs):
        filterset = DjangoFilterBackend().get_filterset(request, self.get_queryset(), self)
        cleaned = _valid(filterset.form)
        as_of = cleaned.get("as_of") or timezone.localdate()
        # As on 全部任务: filtered to one department, a row's own figures are that department's standing.
        department = cleaned.get("department")

        def rows_for(tasks):
            return task_rows(tasks, as_of=as_of, with_reports=False, department=department)

        if cleaned.get("light") or cleaned.get("status"):
            # Every task's light from sums (progress.aggregates: no instances), then rows for the page only.
            wanted = {"light": cleaned["light"] or "", "status": cleaned["status"] or ""}
            figures = progress_by_task(filterset.qs, as_of=as_of, department=department, **wanted)
            ids = self.paginate_queryset(list(figures))  # only the matching tasks, in the list's order
            page = rows_for(in_given_order(filterset.qs, ids))
        else:
            page = rows_for(self.paginate_queryset(filterset.qs))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="截至日期（默认今天，Asia/Shanghai）")


class TaskDetail(generics.GenericAPIView):
    """One task as on its page: standing, assignments, milestones and every report. 404 if you may not open it."""

    serializer_class = s.TaskDetailSerializer

    @extend_schema(parameters=[AS_OF])
    def get(self, request, pk):
        task = get_object_or_404(visible_tasks(request.user).select_related("section__workplan"), pk=pk)
        as_of = _valid(TaskFilter(request.query_params, queryset=Task.objects.none()).form).get("as_of")
        page = task_page(task=task, user=request.user, as_of=as_of or timezone.localdate())
        return Response(self.get_serializer(page, context={"year": task.section.workplan.year}).data)


class QuarterlyTable(generics.GenericAPIView):
    """季度推进情况表 as JSON: the rows of the Excel download, grouped by section (leaders and the office)."""

    serializer_class = s.QuarterlyTableSerializer
    pagination_class = None  # one document, like the Excel file it mirrors

    @extend_schema(
        parameters=[
            OpenApiParameter("workplan", int, description="工作要点 id；该年度只有一个时可省略"),
            OpenApiParameter("department", int, description="只看一个单位的任务"),
        ]
    )
    def get(self, request, year, quarter):
        if not sees_everything(request.user):
            raise exceptions.PermissionDenied
        plans = list(Workplan.objects.filter(year=year))
        if not plans:
            raise exceptions.NotFound(_("%(year)s 年没有工作要点。") % {"year": year})
        data = {"quarter": quarter, "department": request.query_params.get("department", "")}
        data["workplan"] = request.query_params.get("workplan") or (plans[0].pk if len(plans) == 1 else "")
        form = QuarterlyExportForm(data)
        form.fields["workplan"].queryset = Workplan.objects.filter(year=year)
        form.fields["workplan"].error_messages["required"] = _("该年度有多个工作要点，请用 ?workplan= 指定。")
        return Response(self.get_serializer(table_document(quarterly_table(**_valid(form)))).data)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="可选，客户端生成的唯一值（如 UUID）。网络中断后用同一值重发，不会重复写入：返回 200 和第一次的结果。",
)


def _fields(request) -> Mapping:
    """The request's body as named fields: a JSON object or a form. A JSON array, string, number or null is
    a ValidationError (400 in the API's error shape), not a form's crash on a value without names."""
    if not isinstance(request.data, Mapping):
        raise exceptions.ValidationError(_("请求体应为 JSON 对象（字段名: 值），或表单。"))
    return request.data


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise exceptions.ValidationError({"Idempotency-Key": [_("Idempotency-Key 不能超过 200 个字符。")]})
    return key or None


class ReportCreate(APIView):
    """File a progress report on an assignment (its department's staff), as the report form does."""

    @extend_schema(
        request={"multipart/form-data": s.ReportRequestSerializer, "application/json": s.ReportRequestSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ReportCreatedSerializer, 200: s.ReportCreatedSerializer},
    )
    def post(self, request, pk):
        assignments = visible_assignments(request.user).select_related("task__section__workplan", "department")
        assignment = get_object_or_404(assignments.distinct(), pk=pk)
        if not can_report_on(request.user, assignment):
            raise exceptions.PermissionDenied
        data = dict(_valid(ReportForm(_fields(request), request.FILES, year=assignment.task.section.workplan.year)))
        data["based_on"] = ProgressReport.objects.filter(assignment=assignment, pk=data["based_on"]).first()
        key = _idempotency_key(request)
        data["submission_token"] = submission_token_for(key=key, user=request.user, target=f"assignment:{pk}")
        submission = report_submit(assignment=assignment, user=request.user, **data)
        context = {"year": assignment.task.section.workplan.year}
        answer = status.HTTP_200_OK if submission.replayed else status.HTTP_201_CREATED
        return Response(s.ReportCreatedSerializer(submission, context=context).data, status=answer)


class ReviewCreate(APIView):
    """Accept a report, or return it with a reason (the office), as the review queue does. Decided once (409)."""

    @extend_schema(
        request=s.ReviewRequestSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ReviewSerializer, 200: s.ReviewSerializer},
    )
    def post(self, request, pk):
        if not can_review(request.user):
            raise exceptions.PermissionDenied
        report = get_object_or_404(ProgressReport.objects.select_related("assignment__task"), pk=pk)
        token = submission_token_for(key=_idempotency_key(request), user=request.user, target=f"report:{pk}")
        data = _valid(ReviewForm(_fields(request))) | {"submission_token": token}
        replayed = token is not None and Review.objects.filter(submission_token=token).exists()
        try:
            review = report_review(report=report, user=request.user, **data)
        except AlreadyReviewed as exc:
            raise Conflict(
                _("该报告已由 %(who)s 审核（%(decision)s）。")
                % {"who": exc.review.reviewed_by.username, "decision": exc.review.get_decision_display()}
            ) from None
        answer = status.HTTP_200_OK if replayed else status.HTTP_201_CREATED
        return Response(s.ReviewSerializer(review).data, status=answer)


class EvidenceDownload(APIView):
    """An evidence file (佐证材料), for a user who may open its task; 404 for everybody else."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.select_related("report__assignment"), pk=pk)
        if not visible_tasks(request.user).filter(pk=evidence.report.assignment.task_id).exists():
            raise exceptions.NotFound
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(_("文件已不在服务器上，请联系管理员。")) from None
        return FileResponse(handle, as_attachment=True, filename=evidence.original_name)
