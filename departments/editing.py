"""What every form that writes shares: one-time submission tokens (double clicks) and versions (stale saves)."""

import uuid

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
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


_NO_NUL = ProhibitNullCharactersValidator(message=_("不能包含空字符（NUL），请删除后再提交。"))


class TextInputsForm(forms.BaseForm):
    """Mixed into every form that takes typed text: a NUL character is refused with a readable message.

    Django's CharField refuses NUL already (PostgreSQL would raise on it), but its
    Chinese message is garbled; this one says what to do.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators = [*kept, _NO_NUL]
