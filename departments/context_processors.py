from .roles import Role, role_of


def role(request):
    """``role`` (a departments.roles.Role or None) for templates: menus follow the role, not per-permission queries.

    Also ``unread_notifications``, the count on the bell (one query, signed-in users only).
    """
    context = {"role": role_of(request.user), "Role": Role}
    if request.user.is_authenticated:
        context["unread_notifications"] = request.user.notifications.unread().count()
    return context
