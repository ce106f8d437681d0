"""Writes to the department catalogue."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from .models import CollectivePhrase, Department, DepartmentAlias
from .selectors import reference_objects


def reference_catalogue_save() -> None:
    """Save the project's reference departments, aliases and collective phrases (settings.DEPARTMENTS_FIXTURE).

    Used when a plan is imported into a database that holds no department yet,
    so the import finds the same catalogue a dry run read the document with.
    """
    for item in reference_objects():
        item.save()


@dataclass
class CatalogueAdded:
    """What :func:`reference_catalogue_add_missing` created."""

    departments: list[Department] = field(default_factory=list)
    aliases: list[DepartmentAlias] = field(default_factory=list)
    phrases: list[CollectivePhrase] = field(default_factory=list)


@transaction.atomic
def reference_catalogue_add_missing() -> CatalogueAdded:
    """Add the reference departments, aliases and collective phrases the database lacks; change nothing else.

    A reference department counts as present when a department with its code or
    its full name exists; an alias or a phrase when one with the same words
    exists. Present ones are left exactly as they are, so what the office changed
    in the admin (short name, e-mail, order, the units a phrase means …) is never
    reverted; this is what `make run` calls on every start. A reference municipal
    office is added as an ordinary department when another unit holds that role
    (there is only one). Raises OSError / DeserializationError if the fixture
    (settings.DEPARTMENTS_FIXTURE) cannot be read.
    """
    added = CatalogueAdded()
    objects = list(reference_objects())
    has_office = Department.objects.filter(is_municipal_office=True).exists()
    here = {}  # the fixture's department pk → this database's department
    for item in objects:
        reference = item.object
        if not isinstance(reference, Department):
            continue
        fixture_pk, reference.pk = reference.pk, None  # ids belong to this database, not to the fixture
        here[fixture_pk] = Department.objects.filter(Q(code=reference.code) | Q(name=reference.name)).first()
        if here[fixture_pk] is None:
            reference.is_municipal_office = reference.is_municipal_office and not has_office
            reference.full_clean()
            reference.save()
            has_office = has_office or reference.is_municipal_office
            here[fixture_pk] = reference
            added.departments.append(reference)
    for item in objects:
        reference = item.object
        if isinstance(reference, DepartmentAlias) and not DepartmentAlias.objects.filter(name=reference.name).exists():
            if (department := here.get(reference.department_id)) is not None:
                added.aliases.append(DepartmentAlias.objects.create(name=reference.name, department=department))
        elif (
            isinstance(reference, CollectivePhrase)
            and not CollectivePhrase.objects.filter(phrase=reference.phrase).exists()
        ):
            phrase = CollectivePhrase.objects.create(phrase=reference.phrase, level=reference.level)
            members = [here.get(int(pk)) for pk in item.m2m_data.get("departments", [])]
            phrase.departments.set([department for department in members if department is not None])
            added.phrases.append(phrase)
    return added
