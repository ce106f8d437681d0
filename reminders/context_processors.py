def unread_notifications(request):
    """``unread_notifications``: the count on the bell (read with the user; one query otherwise)."""
    if not request.user.is_authenticated:
        return {}
    count = getattr(request.user, "unread_count", None)  # read with the user by workplan.auth
    return {"unread_notifications": request.user.notifications.unread().count() if count is None else count}
