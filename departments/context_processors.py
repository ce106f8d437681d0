from .roles import Role, role_of


def role(request):
    """``role`` (a departments.roles.Role or None) for templates: menus follow the role, not per-permission queries."""
    return {"role": role_of(request.user), "Role": Role}
