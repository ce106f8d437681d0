"""Writes to the department catalogue."""

from .selectors import reference_objects


def reference_catalogue_save() -> None:
    """Save the project's reference departments, aliases and collective phrases (settings.DEPARTMENTS_FIXTURE).

    Used when a plan is imported into a database that holds no department yet,
    so the import finds the same catalogue a dry run read the document with.
    """
    for item in reference_objects():
        item.save()
