"""上传填报表: a filled-in workbook is checked and previewed first; its reports are filed only when confirmed."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Role, role_of
from tasks.access import can_report_on_behalf

from .fill_in import FillInUpload, Problem, fill_in_apply, fill_in_read
from .forms import FillInUploadForm

_SALT = "progress.upload_views"
# Time between the preview and the confirmation after which the kept file is no longer accepted.
KEEP_SECONDS = 3600


def _may_upload(user) -> bool:
    return (role_of(user) == Role.STAFF and user.department_id is not None) or can_report_on_behalf(user)


@login_required
def fill_in_upload(request):
    """Upload → preview (every problem by row and column) → confirm. Staff for their department; the office for any."""
    if not _may_upload(request.user):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = FillInUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        stream = form.cleaned_data["file"]
        upload = fill_in_read(stream, user=request.user)
        token = _keep(request.user, stream) if upload.ok and upload.changed else None
        context |= {"upload": upload, "token": token}
    return render(request, "progress/fill_in_upload.html", context, status=400 if form.errors else 200)


def _keep(user, stream) -> str:
    """Store the checked file until it is confirmed; the token names it, for this user only.

    Files kept for previews nobody confirmed are removed here once their token has expired.
    """
    _forget_expired()
    stream.seek(0)
    batch = uuid.uuid4().hex
    name = default_storage.save(f"fill-in/{batch}.xlsx", File(stream))
    return signing.dumps({"name": name, "user": user.pk, "batch": batch}, salt=_SALT)


def _forget_expired() -> None:
    if not default_storage.exists("fill-in"):
        return
    expired = timezone.now() - datetime.timedelta(seconds=KEEP_SECONDS)
    for name in default_storage.listdir("fill-in")[1]:
        if default_storage.get_modified_time(f"fill-in/{name}") < expired:
            default_storage.delete(f"fill-in/{name}")


def _confirm(request):
    """File the kept workbook's reports after checking it again (the standing may have moved since the preview)."""
    try:
        kept = signing.loads(request.POST["token"], salt=_SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        kept = None
    if kept is None or kept["user"] != request.user.pk or not default_storage.exists(kept["name"]):
        messages.error(request, _("预览已过期，请重新上传填报表。"))
        return redirect("fill_in_upload")
    with default_storage.open(kept["name"], "rb") as stream:
        upload: FillInUpload = fill_in_read(stream, user=request.user)
    try:
        batch = uuid.UUID(kept["batch"])  # a second confirmation of this preview files nothing twice
        submissions = fill_in_apply(upload, user=request.user, batch=batch) if upload.ok else None
    except ValidationError as exc:
        upload.problems.extend(Problem(message) for message in exc.messages)
        submissions = None
    if submissions is None:
        context = {"form": FillInUploadForm(), "upload": upload, "token": None}
        return render(request, "progress/fill_in_upload.html", context, status=409)
    default_storage.delete(kept["name"])
    messages.success(
        request,
        _("已提交 %(count)d 份进展报告（%(unchanged)d 行无变化），等待督查办审核。")
        % {"count": len(submissions), "unchanged": upload.unchanged},
    )
    return redirect("my_work" if role_of(request.user) == Role.STAFF else "review_queue")
