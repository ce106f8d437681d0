"""Form fields other apps use to pick a department, and a model choice field that reads its options once.

Django's ModelChoiceField queries twice when a form is both validated and
drawn: a ``get()`` for the submitted value, then every row for the options.
Filter forms on every list and dashboard do both, on every request.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


class _ReadOptions(ModelChoiceIterator):
    """The options from the rows the field has already read (ReadOnceModelChoiceField.options)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.options():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.options()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.options())


class ReadOnceModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose queryset is read once per form instance: validating the submitted value and
    drawing the options share that one query. A value not among the rows raises the field's own
    ``invalid_choice`` ValidationError, as Django's does."""

    iterator = _ReadOptions

    def _set_queryset(self, queryset):
        self._options = None  # a new queryset (each form gets a copy): read again
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def options(self) -> list:
        """The queryset's rows, read on first use."""
        if self._options is None:
            self._options = list(self.queryset)
        return self._options

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        try:
            wanted = model_field.to_python(value)
        except ValidationError:
            wanted = None
        for obj in self.options():
            if wanted is not None and getattr(obj, key) == wanted:
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class DepartmentChoiceField(ReadOnceModelChoiceField):
    """A department picker that names units by ``display_name`` (鄞州), as the tables and charts beside it do."""

    def label_from_instance(self, department):
        return department.display_name
