import io

from django.core.management import call_command

from departments.models import CollectivePhrase, Department, DepartmentAlias


def run() -> str:
    out = io.StringIO()
    call_command("load_departments", stdout=out)
    return out.getvalue()


def test_it_loads_the_reference_departments_into_an_empty_database(db):
    output = run()

    assert Department.objects.count() == 14
    assert Department.objects.get(code="haishu").short_name == "海曙"
    assert DepartmentAlias.objects.get(name="市民防局").department.code == "nbrf"
    assert CollectivePhrase.objects.filter(phrase="市县两级").exists()
    assert "新增单位 14 个" in output


def test_running_again_keeps_what_the_office_changed_and_adds_only_the_missing(departments):
    Department.objects.filter(code="haishu").update(short_name="海曙新", email="hs@example.gov.cn")
    Department.objects.filter(code="yinzhou").delete()

    output = run()

    haishu = Department.objects.get(code="haishu")
    assert (haishu.short_name, haishu.email) == ("海曙新", "hs@example.gov.cn")
    assert Department.objects.filter(code="yinzhou").exists()
    assert "新增单位 1 个：鄞州区" in output
    assert run().strip() == "单位名录已齐全，未作改动。"


def test_a_renamed_code_is_not_added_twice_under_its_name(departments):
    Department.objects.filter(code="haishu").update(code="hs")

    run()

    assert Department.objects.filter(name="海曙区").count() == 1


def test_aliases_and_phrases_the_office_changed_stay_as_they_are(departments):
    phrase = CollectivePhrase.objects.get(phrase="市县两级")
    phrase.level = ""
    phrase.save()
    phrase.departments.set([Department.objects.get(code="haishu")])
    DepartmentAlias.objects.filter(name="市民防局").update(department=Department.objects.get(code="haishu"))

    assert run().strip() == "单位名录已齐全，未作改动。"

    phrase.refresh_from_db()
    assert phrase.level == "" and [d.code for d in phrase.departments.all()] == ["haishu"]
    assert DepartmentAlias.objects.get(name="市民防局").department.code == "haishu"
