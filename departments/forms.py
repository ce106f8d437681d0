"""Form fields other apps use to pick a department."""

from workplan.choices import ReadOnceModelChoiceField


class DepartmentChoiceField(ReadOnceModelChoiceField):
    """A department picker that names units by ``display_name`` (鄞州), as the tables and charts beside it do."""

    def label_from_instance(self, department):
        return department.display_name
