"""Documents the office sends out: 填报表 workbooks for departments to fill in, and the 督查通报 (.docx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from departments.editing import form_errors_text
from departments.roles import Role, role_of
from tasks.access import is_office, sees_everything

from .bulletin import bulletin, write_bulletin
from .fill_in import fill_in_filename, fill_in_zip_filename, write_fill_in_workbook, write_fill_in_zip
from .forms import PeriodForm, QuarterlyExportForm


@login_required
def fill_in_download(request):
    """填报表: staff get their department's workbook; the office one department's, or every department's in a zip."""
    user = request.user
    staff = role_of(user) == Role.STAFF and user.department_id is not None
    if not staff and not is_office(user):
        raise PermissionDenied
    form = QuarterlyExportForm(request.GET, prefix="fill_in")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("my_work" if staff else "report_export")
    plan, quarter = form.cleaned_data["workplan"], form.cleaned_data["quarter"]
    department = user.department if staff else form.cleaned_data["department"]
    if department is None:
        response = HttpResponse(content_type="application/zip")
        filename = fill_in_zip_filename(plan, quarter)
        write_fill_in_zip(workplan=plan, quarter=quarter, stream=response)
    else:
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        filename = fill_in_filename(plan, quarter, department)
        write_fill_in_workbook(workplan=plan, quarter=quarter, department=department, stream=response)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def bulletin_download(request):
    """督查通报 (.docx) for a plan's quarter: the office and leaders."""
    if not sees_everything(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET, prefix="bulletin")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("report_export")
    item = bulletin(workplan=form.cleaned_data["workplan"], quarter=form.cleaned_data["quarter"])
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=item.filename)
    write_bulletin(item, response)
    return response
