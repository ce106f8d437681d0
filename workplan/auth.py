"""The signed-in user, read once per request together with what every page shows about them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from departments.roles import Role, role_from_groups
from reminders.models import Notification


class UserWithRoleBackend(ModelBackend):
    """Django's ModelBackend, whose per-request lookup also reads the role and the bell's unread count.

    Every page needs the user, their role (menus, access) and the bell; reading
    them in one query instead of three is most of a list page's fixed cost. The
    role lands where departments.roles.role_of looks first (``_role_cache``),
    the count in ``unread_count`` (reminders.context_processors).
    """

    def get_user(self, user_id):
        User = get_user_model()
        member = User.groups.through.objects.filter(user_id=OuterRef("pk"))
        in_role = {f"_in_{role.value}": Exists(member.filter(group__name=str(role.label))) for role in Role}
        unread = (
            Notification.objects.unread()
            .filter(recipient=OuterRef("pk"))
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        try:
            user = User._default_manager.annotate(**in_role, unread_count=Coalesce(Subquery(unread), 0)).get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user._role_cache = role_from_groups({role for role in Role if getattr(user, f"_in_{role.value}")})
        return user
