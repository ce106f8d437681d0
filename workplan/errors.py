"""The product's own 400 page, which says when a form had more fields than one request may carry."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseBadRequest
from django.template import loader


def bad_request(request, exception):
    """400 (DEBUG off): templates/400.html, rendered without the request as Django's own handler does (the
    request may be what is broken). ``too_many_fields`` when the form had more than
    DATA_UPLOAD_MAX_NUMBER_FIELDS fields or DATA_UPLOAD_MAX_MEMORY_SIZE bytes of text (a plan too large to
    import from one preview)."""
    context = {
        "too_many_fields": isinstance(exception, TooManyFieldsSent | RequestDataTooBig),
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }
    return HttpResponseBadRequest(loader.get_template("400.html").render(context))
