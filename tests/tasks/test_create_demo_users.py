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


def test_running_again_keeps_users_as_they_are_and_prints_the_kept_password(plan_2021, tmp_path):
    password_file = tmp_path / "var" / "demo_password"
    first = run("--password-file", str(password_file))
    password = first.strip().rsplit("：", 1)[1]
    office = User.objects.get(username="office")
    office.first_name = "改过的名字"
    office.save()

    second = run("--password-file", str(password_file))

    assert second.strip().rsplit("：", 1)[1] == password
    assert password_file.read_text().strip() == password
    assert password_file.stat().st_mode & 0o777 == 0o600
    assert User.objects.count() == 16
    office.refresh_from_db()
    assert office.first_name == "改过的名字"
    assert office.check_password(password)
    assert "新建 0 个" in second


def test_a_new_department_gets_its_login_with_the_kept_password(plan_2021, tmp_path):
    password_file = tmp_path / "demo_password"
    password_file.write_text("kept-pass-1\n")
    User.objects.filter(username="staff-yinzhou").delete()

    run("--password-file", str(password_file))

    assert User.objects.get(username="staff-yinzhou").check_password("kept-pass-1")


def test_a_chosen_password_is_set_on_every_demo_user_and_kept(plan_2021, tmp_path):
    password_file = tmp_path / "demo_password"
    run("--password-file", str(password_file))

    run("--password-file", str(password_file), "--password", "chosen-pass-2")

    assert User.objects.get(username="office").check_password("chosen-pass-2")
    assert password_file.read_text().strip() == "chosen-pass-2"


def test_the_report_authors_of_generated_data_get_their_role_and_can_open_their_work(db, client):
    from departments.models import Department

    call_command("loaddata", "departments", verbosity=0)
    call_command("generate_demo_data", "--tasks", "5", "--departments", "10", "--year", "2024", stdout=io.StringIO())
    author = User.objects.get(username="staff-yinzhou")
    author.first_name = "生成的作者"
    author.save()
    assert role_of(User.objects.get(username="staff-yinzhou")) is None

    output = run("--password", "s3cret-pass")

    author = User.objects.get(username="staff-yinzhou")
    assert role_of(author) == Role.STAFF
    assert author.department == Department.objects.get(code="yinzhou")
    assert author.first_name == "生成的作者"  # otherwise left as it was
    assert "已补上角色" in output
    client.force_login(author)
    assert client.get("/my-work/").status_code == 200
    assert role_of(User.objects.get(username="office")) == Role.OFFICE
