from django.conf import settings
from django.core import serializers

from .models import CollectivePhrase, Department, DepartmentAlias


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
    return [item.object for item in reference_objects() if isinstance(item.object, Department)]


def naming_data(departments: list[Department]) -> tuple[dict[str, Department], dict[str, list[Department]]]:
    """(alias → department, collective phrase → departments) for reading documents against ``departments``.

    ``departments`` is what :func:`department_catalogue` returned; a phrase
    stands for the active ones of its level plus those listed on it. When the
    catalogue is the unsaved reference list (an empty database), aliases and
    phrases come from the same fixture.
    """
    by_pk = {department.pk: department for department in departments}
    if any(department._state.adding for department in departments):
        objects = [item for item in reference_objects() if not isinstance(item.object, Department)]
        aliases = [(o.object.name, o.object.department_id) for o in objects if isinstance(o.object, DepartmentAlias)]
        phrases = [
            (o.object.phrase, o.object.level, o.m2m_data.get("departments", []))
            for o in objects
            if isinstance(o.object, CollectivePhrase)
        ]
    else:
        aliases = list(DepartmentAlias.objects.values_list("name", "department_id"))
        phrases = [
            (phrase.phrase, phrase.level, [d.pk for d in phrase.departments.all()])
            for phrase in CollectivePhrase.objects.prefetch_related("departments")
        ]
    return (
        {name: by_pk[pk] for name, pk in aliases if pk in by_pk},
        {
            phrase: [d for d in departments if (level and d.level == level) or d.pk in {int(pk) for pk in members}]
            for phrase, level, members in phrases
        },
    )


def reference_objects() -> list:
    """The deserialised reference fixture (settings.DEPARTMENTS_FIXTURE), unsaved."""
    with open(settings.DEPARTMENTS_FIXTURE, encoding="utf-8") as fixture:
        return list(serializers.deserialize("json", fixture))
