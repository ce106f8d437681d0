"""Signed-in sessions: the idle timeout, renewed without a session write on every request."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

# How often a signed-in session is renewed: once a minute at most, not on every request
# (a session write per page was a third of a list page's queries).
RENEW_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """Keeps sessions ending after SESSION_COOKIE_AGE idle seconds without saving them on every request.

    Django renews a session's expiry (in the database and the cookie) when it is
    saved; saving it when the last renewal is RENEW_EVERY_SECONDS old makes the
    idle timeout exact to within that, for one write a minute instead of one per
    request. Requests without a session cookie create nothing. Goes after
    SessionMiddleware.
    """

    @staticmethod
    def renewed(session) -> None:
        session["_renewed"] = int(timezone.now().timestamp())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key:  # a cookie came in: reading it costs the query auth needs anyway
            now = int(timezone.now().timestamp())
            if now - session.get("_renewed", 0) >= RENEW_EVERY_SECONDS:
                self.renewed(session)  # modified: SessionMiddleware saves it and resets the cookie's expiry
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="idle_session_renewed_at_login")
def _renewed_at_login(sender, request, user, **kwargs):
    """Signing in saves the session anyway: count that as its renewal, so the next page writes nothing."""
    if request is not None and hasattr(request, "session"):
        IdleSessionMiddleware.renewed(request.session)
