"""Filter pickers read their options once: validating what was picked and drawing the list share one query."""

from django import forms

from departments.forms import ReadOnceModelChoiceField
from departments.models import Department


class PickForm(forms.Form):
    department = ReadOnceModelChoiceField(queryset=Department.objects.order_by("pk"), required=False)


def test_a_picked_unit_is_validated_and_the_list_drawn_with_one_query(departments, django_assert_num_queries):
    unit = Department.objects.order_by("pk")[1]
    form = PickForm({"department": str(unit.pk)})

    with django_assert_num_queries(1):
        assert form.is_valid()
        html = str(form["department"])

    assert form.cleaned_data["department"] == unit
    assert html.count("<option") == Department.objects.count() + 1  # and the empty choice
    assert f'value="{unit.pk}" selected' in html


def test_a_unit_not_in_the_list_is_refused_in_chinese_and_the_list_still_drawn(departments):
    for value in ("999999", "甲", "1.5"):
        form = PickForm({"department": value})

        assert not form.is_valid()
        assert "选择一个有效的选项" in form.errors["department"][0]
        assert str(form["department"]).count("<option") == Department.objects.count() + 1


def test_each_form_reads_its_own_options(departments):
    PickForm({"department": ""}).is_valid()
    added = Department.objects.create(name="新设单位", code="new-unit")

    form = PickForm({"department": str(added.pk)})

    assert form.is_valid() and form.cleaned_data["department"] == added
