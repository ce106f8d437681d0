def unread_notifications(request):
    """``unread_notifications``: the count on the bell (one query, signed-in users only)."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": request.user.notifications.unread().count()}
