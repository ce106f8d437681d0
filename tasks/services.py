"""Writes to plans, sections, tasks, assignments and milestones."""

import logging
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.text import slugify

from departments.models import Department

from .models import Assignment, Milestone, Section, Task, Workplan
from .parsing import ParsedWorkplan

logger = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    workplan: Workplan
    created: bool
    sections: int = 0
    tasks_created: int = 0
    tasks_updated: int = 0
    tasks_unchanged: int = 0
    assignments_created: int = 0
    milestones: int = 0
    departments_created: list[str] = field(default_factory=list)
    tasks_not_in_document: list[int] = field(default_factory=list)

    def __str__(self):
        text = (
            f"{'新建' if self.created else '更新'}《{self.workplan.title}》（{self.workplan.year}年）："
            f"{self.sections} 个部分，{self.tasks_created + self.tasks_updated + self.tasks_unchanged} 项任务"
            f"（新增 {self.tasks_created}，更新 {self.tasks_updated}，未变 {self.tasks_unchanged}），"
            f"新增责任分解 {self.assignments_created} 条，时间节点 {self.milestones} 个"
        )
        if self.departments_created:
            text += f"；新建单位：{'、'.join(self.departments_created)}"
        if self.tasks_not_in_document:
            text += f"；文件中已没有的任务（保留未删）：{'、'.join(map(str, self.tasks_not_in_document))}"
        return text


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Create the row, or update it only where a value differs (so history records real changes).

    Returns (row, "created" | "updated" | "unchanged").
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        row.full_clean()
        row.save()
        return row, "created"
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.full_clean()
    row.save(update_fields=changed)
    return row, "updated"


def _resolve_departments(parsed: ParsedWorkplan, catalogue: list[Department], summary: ImportSummary) -> dict:
    """Map every department name in the plan to a saved Department, creating what is missing.

    Catalogue entries that are not saved yet (the reference list on an empty
    database) are saved; names the catalogue does not know (from annotations)
    become new municipal departments, for the office to correct in the admin.
    """
    by_name = {department.name: department for department in catalogue}
    if any(department._state.adding for department in catalogue):
        for department in catalogue:
            department.save()
    resolved = {}
    for task in parsed.tasks:
        for item in task.departments:
            if item.name in resolved:
                continue
            department = by_name.get(item.name) or Department.objects.filter(name=item.name).first()
            if department is None:
                department = Department(
                    code=slugify(item.name, allow_unicode=True) or f"department-{Department.objects.count() + 1}",
                    name=item.name,
                    level=Department.Level.MUNICIPAL,
                    ordering=1000,
                )
                department.full_clean()
                department.save()
                summary.departments_created.append(item.name)
            resolved[item.name] = department
    return resolved


@transaction.atomic
def workplan_import(*, parsed: ParsedWorkplan, catalogue: list[Department], source: str) -> ImportSummary:
    """Write a parsed plan in one transaction; importing the same plan again updates it in place.

    Plans are matched by (title, year), sections by ordinal, tasks by (section,
    number), milestones by (task, description). Text, deadlines and milestones
    follow the document. Assignments are only ever added: departments the
    document names that a task lacks are added, and what the office changed by
    hand (another lead, a removed district) is kept on an existing task. Tasks
    missing from the document are kept (they may carry progress reports) and
    listed in the summary. Returns the summary; raises ValidationError when a
    row breaks a model rule, with nothing written.
    """
    workplan, state = _upsert(
        Workplan,
        {"title": parsed.title, "year": parsed.year},
        {"source": source, "published_on": parsed.published_on},
    )
    summary = ImportSummary(workplan=workplan, created=state == "created")
    departments = _resolve_departments(parsed, catalogue, summary)
    seen_tasks = set()
    for parsed_section in parsed.sections:
        section, _ = _upsert(
            Section, {"workplan": workplan, "ordinal": parsed_section.ordinal}, {"title": parsed_section.title}
        )
        summary.sections += 1
        for parsed_task in parsed_section.tasks:
            task, state = _upsert(
                Task,
                {"section": section, "number": parsed_task.number},
                {
                    "title": parsed_task.title,
                    "body": parsed_task.body,
                    "deadline": parsed_task.deadline,
                    "deadline_phrase": parsed_task.deadline_phrase or "",
                },
            )
            seen_tasks.add(task.pk)
            setattr(summary, f"tasks_{state}", getattr(summary, f"tasks_{state}") + 1)
            _add_assignments(task, parsed_task, departments, summary)
            _replace_milestones(task, parsed_task)
            summary.milestones += len(parsed_task.milestones)
    summary.tasks_not_in_document = list(
        Task.objects.filter(section__workplan=workplan).exclude(pk__in=seen_tasks).values_list("number", flat=True)
    )
    logger.info(
        "import.done workplan=%s year=%s source=%s created=%d updated=%d unchanged=%d assignments_added=%d",
        workplan.pk,
        workplan.year,
        source,
        summary.tasks_created,
        summary.tasks_updated,
        summary.tasks_unchanged,
        summary.assignments_created,
    )
    return summary


def _add_assignments(task: Task, parsed_task, departments: dict, summary: ImportSummary) -> None:
    existing = {a.department_id: a for a in task.assignments.all()}
    has_lead = any(a.role == Assignment.Role.LEAD for a in existing.values())
    for item in parsed_task.departments:
        department = departments[item.name]
        if department.pk in existing or (item.role == Assignment.Role.LEAD and has_lead):
            continue
        assignment = Assignment(task=task, department=department, role=item.role)
        assignment.full_clean()
        assignment.save()
        existing[department.pk] = assignment
        has_lead = has_lead or item.role == Assignment.Role.LEAD
        summary.assignments_created += 1


def _replace_milestones(task: Task, parsed_task) -> None:
    keep = []
    for item in parsed_task.milestones:
        milestone, _ = _upsert(
            Milestone, {"task": task, "description": item.description}, {"due_on": item.due, "phrase": item.phrase}
        )
        keep.append(milestone.pk)
    task.milestones.exclude(pk__in=keep).delete()
