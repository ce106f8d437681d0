"""The one gate every endpoint shares: a signed-in user with a role. What they see is tasks.access's decision."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from departments.roles import role_of


class HasRole(permissions.BasePermission):
    """Signed in (401 otherwise) as staff, leader or office (403 otherwise), as the pages require."""

    message = _("您的账号尚未分配角色，请联系管理员。")

    def has_permission(self, request, view):
        return role_of(request.user) is not None
