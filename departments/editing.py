"""What every form that writes shares: one-time submission tokens (double clicks), versions (stale saves), no NUL."""

import uuid
from functools import wraps
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _


class SubmissionTokenField(forms.UUIDField):
    """A hidden one-time token, new each time the form is drawn.

    The service that writes stores it on the row it creates (a unique column);
    the same form sent twice, by a double click or a browser resending it,
    finds that row and writes nothing more. Optional, so that scripts and old
    pages still work (without the protection).
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


_SENTENCE_ENDS = ("。", "！", "？", "…")


def sentences(messages) -> str:
    """Several Chinese messages (an iterable of str or lazy str) as one line, for a flash message, an API
    error or a command's error: each ends with its own full stop (。 added when it has none) and nothing
    goes between them, so it reads 完成进度应在 0 到 100 之间。请填写进展情况。 and never 之间。；请填写."""
    texts = (str(message).strip() for message in messages)
    return "".join(text if text.endswith(_SENTENCE_ENDS) else f"{text}。" for text in texts if text)


def form_errors_text(form) -> str:
    """Every error of a bound ``form`` (field and non-field) as one line (``sentences``)."""
    return sentences(error for errors in form.errors.values() for error in errors)


_KEPT = "kept-form:"
_NOT_KEPT = {"csrfmiddlewaretoken", "submission_token"}


def login_required_keeping_typed(view):
    """``login_required`` for views that take a form, without losing the form when the session has ended.

    Sessions end after SESSION_IDLE_MINUTES idle, often while somebody is typing a
    long report on a phone. A POST from a signed-out user never reaches ``view``:
    what was typed (every posted value but the CSRF and one-time tokens; files
    cannot be kept) is stored in the new session under the path of the page the
    form was on (the Referer when it is this site, else this URL), a Chinese
    message says the submission was not saved, and the user is sent to sign in
    and then back to that page, where ``kept_form_data`` gives the values back.
    Signing in keeps session data (django.contrib.auth.login cycles the key). An
    htmx request is told to load the login page (HX-Redirect) instead of having
    it swapped into the page. GETs behave as with ``login_required``.
    """

    from django.contrib.auth.views import redirect_to_login  # here: departments.models imports this module

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        page = request.get_full_path()
        if request.method == "POST":
            page = _referring_page(request) or page
            request.session[_KEPT + page.split("?", 1)[0]] = {
                key: value for key, value in request.POST.items() if key not in _NOT_KEPT
            }
            messages.warning(request, _gettext("登录已超时，刚才的提交没有保存。请重新登录，再核对后提交。"))
        response = redirect_to_login(page)
        if request.headers.get("HX-Request"):
            htmx = HttpResponse(status=204)
            htmx["HX-Redirect"] = response["Location"]
            return htmx
        return response

    return wrapper


def _referring_page(request) -> str | None:
    """The path (and query) of the page that sent ``request``, when it is on this site; else None."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path.startswith("/") else None


def kept_form_data(request) -> dict[str, str]:
    """What was typed into this page's form when the session ended ({field name: value}; {} if nothing), once.

    Pass it to the form as initial values (see ``login_required_keeping_typed``).
    """
    return request.session.pop(_KEPT + request.path, {})


_NO_NUL = ProhibitNullCharactersValidator(message=_("不能包含空字符（NUL），请删除后再提交。"))

# The most characters a typed paragraph (进展情况, 退回原因, 申请理由 …) may hold. A quarter's account fits in
# far less; an Excel cell holds 32,767, so every text still fits whole in the exports and the fill-in
# workbook, and a pasted document is refused with a message instead of cut or lost in a 400 page.
TEXT_MAX = 5000


def too_long(text: str) -> str | None:
    """The message for ``text`` longer than TEXT_MAX characters, else None: the one rule the forms and the
    fill-in workbook both apply. A line break counts one, as the browser's maxlength counts it (browsers
    send each as CR LF)."""
    count = len(text.replace("\r\n", "\n"))
    if count <= TEXT_MAX:
        return None
    return _("不能超过 %(limit)d 字（现有 %(count)d 字），请精简后再提交。") % {"limit": TEXT_MAX, "count": count}


def _within_text_max(value: str) -> None:
    message = too_long(value)
    if message:
        raise ValidationError(message, code="max_length")


class TextInputsForm(forms.BaseForm):
    """Mixed into every form that takes typed text: a NUL character is refused with a readable message, and a
    paragraph (a Textarea) longer than TEXT_MAX characters too, the browser stopping the typing there.

    Django's CharField refuses NUL already (PostgreSQL would raise on it), but its
    Chinese message is garbled; this one says what to do.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators = [*kept, _NO_NUL]
                if isinstance(field.widget, forms.Textarea) and field.max_length is None:
                    field.validators.append(_within_text_max)
                    field.widget.attrs.setdefault("maxlength", TEXT_MAX)


class StaleEdit(Exception):
    """A save over a version that is no longer the row's: somebody else saved in between.

    ``current`` is the row as it is now (with ``changed_by`` and ``changed_at``).
    """

    def __init__(self, current):
        self.current = current
        super().__init__(stale_message(current))


def stale_message(current) -> str:
    """Who changed ``current`` and when, in the words the office reads on a refused save."""
    editor = current.changed_by
    who = (editor.get_full_name() or editor.username) if editor else _gettext("导入或系统任务")
    when = timezone.localtime(current.changed_at).strftime("%Y-%m-%d %H:%M") if current.changed_at else "—"
    return _gettext(
        "未保存：您打开此页之后，%(who)s 已于 %(when)s 修改了这条记录。为免覆盖对方的修改，"
        "请重新打开此页，在最新内容上再改（您填写的内容仍在下面，可复制后使用）。"
    ) % {"who": who, "when": when}


class Versioned(models.Model):
    """A row edited by hand (admin, edit forms): a version checked on every save, and who saved last, when.

    A full ``save()`` succeeds only over the version the instance was read at
    (an optimistic lock: a conditional UPDATE), else raises StaleEdit; forms
    carry the version they were drawn with (VersionedModelForm), so a form
    opened before somebody else's save is refused instead of undoing it.
    Partial saves (``update_fields``, e.g. a login's last_login) are the
    system's, not edits, and are neither checked nor counted.
    """

    version = models.PositiveIntegerField(_("版本"), default=1)
    changed_at = models.DateTimeField(_("最后修改时间"), null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        partial = kwargs.get("update_fields") is not None
        if self.pk is not None and not partial and not kwargs.get("force_insert"):
            rows = type(self)._base_manager
            if rows.filter(pk=self.pk, version=self.version).update(version=models.F("version") + 1):
                self.version += 1
            elif rows.filter(pk=self.pk).exists():
                raise StaleEdit(rows.select_related("changed_by").get(pk=self.pk))
        if not partial:
            self.changed_at = timezone.now()
            # Set by the admin or the edit form that saves; None for imports and jobs.
            self.changed_by = getattr(self, "edited_by", None)
        super().save(*args, **kwargs)


class VersionedModelForm(forms.ModelForm):
    """Edit form of a Versioned row: carries the version it was drawn with; a stale one is refused, naming who."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("version")
        if seen is None:  # an add page (its hidden field sent empty): the row keeps the version it has
            cleaned.pop("version", None)
        if self.instance.pk is None or seen is None:
            return cleaned
        rows = type(self.instance)._base_manager.select_related("changed_by")
        if transaction.get_connection().in_atomic_block:  # the admin's: hold the row until this save commits
            rows = rows.select_for_update(of=("self",))
        current = rows.filter(pk=self.instance.pk).first()
        if current is not None and current.version != seen:
            raise forms.ValidationError(stale_message(current), code="stale")
        return cleaned


class VersionedAdminMixin:
    """For a ModelAdmin of a Versioned model (and its inlines' forms): records who saved."""

    form = VersionedModelForm

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple_history's "revert to this version": the old values, saved over the row's current version."""
        request.reverting_to_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and getattr(request, "reverting_to_history", False):
            # The historical row carries the version it had then; the revert edits the row as it is now
            # (a save by somebody else after this page was opened is still refused).
            current = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            obj.version = current or obj.version
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.edited_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance.edited_by = request.user
        super().save_formset(request, form, formset, change)
