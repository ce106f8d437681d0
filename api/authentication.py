"""Who is calling: a personal token (Authorization: Bearer wpt_…) or the pages' signed-in session."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from departments.roles import remember_role, role_annotations

from .models import ApiToken, hash_key

# last_used_at is written at most this often per token, so reading costs no write per request.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=5)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>`` (``Token <key>`` is accepted too); the request acts as the token's user.

    Returns (user, ApiToken); None when the header names another scheme (the
    session is tried next). Raises AuthenticationFailed (401) for a malformed
    header, an unknown or revoked key, or a deactivated user.
    """

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in (b"bearer", b"token"):
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头应为“Bearer 令牌”，令牌中不含空格。"))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。")) from None
        # The user and their role come with the token: one query (tasks.access asks for the role at once).
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .annotate(**role_annotations("user_id"))
            .filter(key_hash=hash_key(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        remember_role(token.user, token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when credentials are missing or wrong.
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The pages' own scripts: the signed-in session, with Django's CSRF check on every write."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("CSRF 校验失败：使用登录会话提交时，请带上页面的 X-CSRFToken 请求头。")
            ) from None
