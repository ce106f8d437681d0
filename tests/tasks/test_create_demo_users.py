import io

from django.core.management import call_command

from departments.models import User
from departments.roles import Role, role_of


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return out.getvalue()


def test_it_creates_office_leader_and_staff_of_every_assigned_department(plan_2021):
    output = run("--password", "s3cret-pass")

    users = {u.username: u for u in User.objects.all()}
    assert role_of(users["office"]) == Role.OFFICE
    assert role_of(users["leader"]) == Role.LEADER
    assert role_of(users["staff-yinzhou"]) == Role.STAFF
    assert users["staff-yinzhou"].department.name == "鄞州区"
    assert users["staff-yinzhou"].email == "staff-yinzhou@example.org"
    assert users["staff-yinzhou"].check_password("s3cret-pass")
    assert len(users) == 2 + 14  # every reference department has an assignment in the 2021 plan
    assert "staff-yinzhou" in output and "s3cret-pass" in output


def test_running_again_resets_passwords_and_duplicates_nothing(plan_2021):
    run("--password", "first-pass-1")
    output = run()

    password = output.strip().rsplit("：", 1)[1]
    assert User.objects.count() == 16
    assert User.objects.get(username="office").check_password(password)
    assert password != "first-pass-1"
