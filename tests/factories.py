import datetime

import factory
from django.contrib.auth.models import Group

from departments.models import Department, User
from departments.roles import Role
from progress.models import ProgressReport, Review
from tasks.models import Assignment, Section, Task, Workplan


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"第{n}区")
    short_name = factory.LazyAttribute(lambda d: d.name[:-1])
    level = Department.Level.DISTRICT


class WorkplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplan

    year = 2021
    title = factory.Sequence(lambda n: f"2021年测试工作要点{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    workplan = factory.SubFactory(WorkplanFactory)
    ordinal = 1
    title = "测试部分"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    section = factory.SubFactory(SectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"测试任务{n}")
    deadline = datetime.date(2021, 12, 31)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Assignment.Role.RESPONSIBLE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, role, **kwargs):
        if role:
            self.groups.add(Group.objects.get(name=str(Role(role).label)))
        self.save()


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    assignment = factory.SubFactory(AssignmentFactory)
    quarter = 1
    status = ProgressReport.Status.IN_PROGRESS
    percent_complete = 30
    progress_summary = "按计划推进"
    submitted_by = factory.SubFactory(UserFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    report = factory.SubFactory(ReportFactory)
    decision = Review.Decision.ACCEPTED
    reviewed_by = factory.SubFactory(UserFactory, role=Role.OFFICE)
