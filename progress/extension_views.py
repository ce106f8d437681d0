"""延期申请 pages: staff apply on their assignment; the office approves or refuses from its queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.editing import form_errors_text, kept_form_data, login_required_keeping_typed
from tasks.access import can_decide_extension, can_request_extension, visible_assignments

from .forms import ExtensionDecisionForm, ExtensionRequestForm
from .models import ExtensionRequest
from .selectors import assignment_rows, pending_extension_requests
from .services import extension_decide, extension_request


@login_required_keeping_typed
def extension_create(request, pk):
    """申请延期 on one assignment: staff of its department only (others 404 if they cannot see it, else 403)."""
    assignment = get_object_or_404(
        visible_assignments(request.user).select_related("task__section__workplan", "department").distinct(), pk=pk
    )
    if not can_request_extension(request.user, assignment):
        raise PermissionDenied
    (row,) = assignment_rows([assignment], as_of=timezone.localdate())
    form = ExtensionRequestForm(request.POST or None, initial=kept_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            extension_request(assignment=assignment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("延期申请已提交，等待督查办审批。"))
            return redirect("task_detail", pk=assignment.task_id)
    context = {"assignment": assignment, "task": assignment.task, "progress": row.progress, "form": form}
    return render(request, "progress/extension_form.html", context, status=400 if form.errors else 200)


@login_required
def extension_queue(request):
    """延期申请 awaiting a decision, oldest first (office only)."""
    if not can_decide_extension(request.user):
        raise PermissionDenied
    return render(request, "progress/extension_queue.html", {"extensions": pending_extension_requests()})


@login_required_keeping_typed
@require_POST
def extension_decision(request, pk):
    """Approve or refuse one request (office only); a refusal needs a reason."""
    if not can_decide_extension(request.user):
        raise PermissionDenied
    extension = get_object_or_404(ExtensionRequest, pk=pk)
    form = ExtensionDecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = extension_decide(extension=extension, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(status)s：%(task)s，%(department)s")
                % {
                    "status": decided.get_status_display(),
                    "task": decided.assignment.task,
                    "department": decided.assignment.department.display_name,
                },
            )
    if form.errors:
        messages.error(request, form_errors_text(form))
    return redirect("extension_queue")
