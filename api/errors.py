"""Every API error in one JSON shape, with a Chinese message (docs/api.md, "错误").

    {"error": {"status": 400, "code": "invalid", "message": "完成进度应在 0 到 100 之间。",
               "fields": {"percent_complete": ["完成进度应在 0 到 100 之间。"]}}}

``message`` alone is readable by a person; ``fields`` names the inputs at fault
(empty when none); ``code`` is stable for programs.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from departments.editing import sentences

NON_FIELD_KEYS = ("non_field_errors", "__all__", "detail")


def error_body(*, status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def _flatten(detail) -> tuple[str, dict[str, list[str]]]:
    """(message, fields) from a DRF error detail: a string, a list, or a dict of field → list."""
    if isinstance(detail, dict):
        fields = {key: [str(e) for e in (v if isinstance(v, list) else [v])] for key, v in detail.items()}
        general = [m for key in NON_FIELD_KEYS for m in fields.pop(key, [])]
        return sentences(general + [m for messages in fields.values() for m in messages]), fields
    if isinstance(detail, list):
        return sentences(detail), {}
    return str(detail), {}


def exception_handler(exc, context):
    """DRF's handler, then the body reshaped; a Django ValidationError (a rule in a service) becomes a 400."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):  # get_object_or_404's message is English and names the model
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.ParseError):  # the parser's own detail is English
        exc = exceptions.ParseError(_("请求体无法解析：请检查 JSON 格式是否正确、Content-Type 是否与内容相符。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    message, fields = _flatten(response.data)
    code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
    if isinstance(exc, exceptions.ValidationError):
        message = message or _("提交的内容有误。")
    response.data = error_body(status_code=response.status_code, code=code, message=message, fields=fields)
    return response


def not_found(request, *args, **kwargs):
    """Any /api/ address that is no endpoint: 404 in the same shape (not the HTML page)."""
    body = error_body(status_code=status.HTTP_404_NOT_FOUND, code="not_found", message=_("没有这个 API 地址。"))
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
