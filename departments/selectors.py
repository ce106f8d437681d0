from django.conf import settings
from django.core import serializers

from .models import Department


def department_catalogue() -> list[Department]:
    """The departments a published document can name, in display order.

    Returns the active departments in the database. On a database that holds no
    department at all (freshly migrated), returns the project's reference list
    from ``settings.DEPARTMENTS_FIXTURE`` as unsaved instances (their ``pk`` set
    from the fixture), so a dry-run import reads the document the same way a
    real one would. Raises OSError / DeserializationError if that file is unreadable.
    """
    departments = list(Department.objects.active())
    if departments or Department.objects.exists():
        return departments
    with open(settings.DEPARTMENTS_FIXTURE, encoding="utf-8") as fixture:
        return [item.object for item in serializers.deserialize("json", fixture)]
