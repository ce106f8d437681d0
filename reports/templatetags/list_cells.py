"""Cells drawn many times on a list page, built in Python: ``{{ light|light_badge }}``, ``{{ parts|lead_units }}``,
``{{ parts|unit_chips }}``, ``{{ assignment.role|role_label }}``.

全部任务 draws ten units per task and 50 tasks per page; through template
loops and includes those cells cost more than the rest of the page. The markup
is the same as the templates wrote it, and includes/_light.html draws its
badge here too, so it lives in one place.
"""

from html import escape  # what django.utils.html.escape does, without its check for lazy strings on every call

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from tasks.lights import Light
from tasks.models import Assignment

register = template.Library()
_ROLE_LABELS = dict(Assignment.Role.choices)  # lazy: each label is translated when drawn


@register.filter
def light_badge(light: Light | str) -> str:
    """A light as lists and pages show it: its colour's dot and its word (tasks.lights.Light)."""
    light = Light(light)
    word = escape(str(light.label))
    dot = '<span class="dot" aria-hidden="true"></span>'
    return mark_safe(f'<span class="light light-{light.colour}" title="{word}">{dot}{word}</span>')  # word escaped


@register.filter
def role_label(role: str) -> str:
    """An assignment's role as pages name it (牵头单位, 责任单位, 配合单位): what get_role_display gives, without
    rebuilding the field's choices on every row."""
    return _ROLE_LABELS.get(role, role)


@register.filter
def lead_units(parts) -> str:
    """牵头单位 of a task row: the display name of the department whose assignment leads.

    ``parts`` is TaskRow.assignments: (assignment with its department, progress.selectors.Progress) pairs.
    """
    return mark_safe("".join(escape(a.department.display_name) for a, _ in parts if a.role == "lead"))


@register.filter
def unit_chips(parts) -> str:
    """责任单位 of a task row: each other department as a chip in its light's colour, titled with the light and the
    percent, the light's word shown unless 序时推进 (``parts`` as for lead_units)."""
    chips = []
    words = {}  # each light's word translated once per row
    for a, p in parts:
        if a.role == "lead":
            continue
        light = p.light
        if light not in words:
            words[light] = escape(str(light.label))
        shown = "" if light == Light.ON_TRACK else f"<small> {words[light]}</small>"
        title = f"{words[light]} {_percent(p.percent)}%"
        name = escape(a.department.display_name)
        chips.append(f'<span class="chip chip-{light.colour}" title="{title}">{name}{shown}</span>')
    return mark_safe("".join(chips))  # every value in it escaped above


def _percent(value) -> str:
    """A percent 0–100 as ``|floatformat:0`` writes it (a whole number as it is)."""
    return str(value) if isinstance(value, int) else floatformat(value, 0)
