"""{% submission_token %}: the hidden one-time token for hand-written forms (see departments.editing)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """A hidden input named ``submission_token`` holding a new random UUID each time the page is drawn."""
    return format_html('<input type="hidden" name="submission_token" value="{}">', uuid.uuid4())
