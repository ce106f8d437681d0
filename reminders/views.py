"""The bell's list and the office's 催办 button."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.editing import form_errors_text, login_required_keeping_typed, sentences
from departments.paging import Paginator
from tasks.access import can_chase
from tasks.models import Assignment

from .calendar_feed import calendar_token_reset, calendar_token_revoke, feed_for
from .channels import mask
from .forms import ChaseForm, OwnChannelForm
from .models import CalendarToken, Channel, Notification
from .notices import short_line
from .services import chase_create

PAGE_SIZE = 50


@login_required
def notification_list(request):
    """站内通知: the user's notifications, newest first; opening the list marks them read."""
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    for n in page:
        n.line = short_line(n.body, email_copy=n.log_id is not None)
    marked = Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())  # before the bell is drawn
    if getattr(request.user, "unread_count", None) is not None:  # read with the user at the request's start
        request.user.unread_count = max(request.user.unread_count - marked, 0)
    return render(request, "reminders/notifications.html", {"page": page, "unread_ids": unread})


@login_required_keeping_typed
@require_POST
def chase_create_view(request, pk):
    """催办 one assignment (office only), with an optional message; back to the task page."""
    if not can_chase(request.user):
        raise PermissionDenied
    assignment = get_object_or_404(Assignment.objects.select_related("task", "department"), pk=pk)
    form = ChaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("task_detail", pk=assignment.task_id)
    try:
        chased = chase_create(
            assignment=assignment,
            user=request.user,
            message=form.cleaned_data["message"],
            token=form.cleaned_data["submission_token"],
        )
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
        return redirect("task_detail", pk=assignment.task_id)
    # Said on the task page, which names units in full (departments.models.Department).
    messages.add_message(request, *_chased_message(chased, assignment.department.name))
    return redirect("task_detail", pk=assignment.task_id)


def _chased_message(chased, department: str) -> tuple[int, str]:
    if chased.replayed:
        return messages.INFO, _("这次催办已记录过，未重复发送。")
    robots = _("，并推送到 %(n)d 个群机器人") % {"n": chased.robots} if chased.robots else ""
    if not chased.recipients and not chased.robots:
        return messages.WARNING, _("已记录催办，但%(department)s没有填报员账号，无人收到通知。") % {
            "department": department
        }
    if not chased.recipients:
        return messages.WARNING, _("已催办%(department)s：已推送到 %(n)d 个群机器人，但该单位没有填报员账号。") % {
            "department": department,
            "n": chased.robots,
        }
    if chased.delivery.pending:
        return messages.WARNING, _(
            "已记录，站内通知已送达 %(n)d 人；发送队列暂不可用，邮件和群消息将在下次每日提醒时补发。"
        ) % {"n": chased.recipients}
    return messages.SUCCESS, _("已催办%(department)s，通知 %(n)d 人%(robots)s。") % {
        "department": department,
        "n": chased.recipients,
        "robots": robots,
    }


@login_required
def own_channels(request):
    """消息推送: the person's own robots, masked, and a form to add one; the same digest and chases go there."""
    form = OwnChannelForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已添加，之后的每日提醒和催办也会推送到该群。"))
        return redirect("own_channels")
    channels = [(c, mask(c.webhook)) for c in Channel.objects.filter(user=request.user)]
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = settings.SITE_URL + reverse("calendar_feed", args=[token.token]) if token else None
    return render(request, "reminders/own_channels.html", {"form": form, "channels": channels, "feed_url": feed_url})


@login_required
@require_POST
def own_channel_delete(request, pk):
    """Remove one of the person's own robots (another person's gives 404)."""
    get_object_or_404(Channel, pk=pk, user=request.user).delete()
    messages.success(request, _("已删除。"))
    return redirect("own_channels")


@login_required
@require_POST
def calendar_token_change(request):
    """Make a new calendar-feed address (the old one stops working), or with ``revoke`` stop it altogether."""
    if request.POST.get("revoke"):
        calendar_token_revoke(user=request.user)
        messages.success(request, _("日历订阅地址已停用。"))
    else:
        calendar_token_reset(user=request.user)
        messages.success(request, _("已生成新的日历订阅地址，旧地址随即失效。"))
    return redirect("own_channels")


def calendar_feed(request, token):
    """日历订阅: the deadlines and milestones the token's owner may see, as iCalendar; unknown or revoked → 404.

    No login (calendar apps cannot sign in): the unguessable token is the key.
    """
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token, user__is_active=True).user
    response = HttpResponse(feed_for(owner), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="workplan.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
