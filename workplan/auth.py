"""The signed-in user, read once per request together with what every page shows about them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from departments.roles import remember_role, role_annotations
from reminders.models import Notification


class UserWithRoleBackend(ModelBackend):
    """Django's ModelBackend, whose per-request lookup also reads the role and the bell's unread count.

    Every page needs the user, their role (menus, access) and the bell; reading
    them in one query instead of three is most of a list page's fixed cost. The
    role lands where departments.roles.role_of looks first (``_role_cache``),
    the count in ``unread_count`` (reminders.context_processors). Permissions
    (``has_perm``) are read in one query, not ModelBackend's two.
    """

    def get_user(self, user_id):
        User = get_user_model()
        unread = (
            Notification.objects.unread()
            .filter(recipient=OuterRef("pk"))
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        try:
            user = User._default_manager.annotate(**role_annotations(), unread_count=Coalesce(Subquery(unread), 0)).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        remember_role(user, user)
        return user

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and their groups' permissions ("app_label.codename"), read in one query, once per request.

        The same answer as ModelBackend's (every permission for an active
        superuser, none for an inactive or anonymous user or for an object),
        which reads the user's and the groups' in two queries: the task page
        asks for a staff member's permissions and was one query over its bound.
        """
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                through_groups = f"group__{get_user_model()._meta.get_field('groups').related_query_name()}"
                permissions = permissions.filter(Q(user=user_obj) | Q(**{through_groups: user_obj}))
            pairs = permissions.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in pairs}
        return user_obj._perm_cache
