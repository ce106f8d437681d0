"""The user page in the admin refuses a stale save too (a login's last_login is not an edit)."""

from django.urls import reverse

from tests.factories import UserFactory
from tests.tasks.test_admin_edits import form_data

JOINED = {"date_joined_0": "2021-01-01", "date_joined_1": "09:00:00"}  # the admin's split date and time


def test_a_stale_save_of_a_user_is_refused_naming_who(db, client):
    a = UserFactory(username="office-a", first_name="王科长", is_staff=True, is_superuser=True)
    b = UserFactory(username="office-b", is_staff=True, is_superuser=True)
    target = UserFactory(username="staff-x", email="x@example.org")
    url = reverse("admin:departments_user_change", args=[target.pk])
    client.force_login(a)
    seen_by_a = form_data(client.get(url)) | JOINED
    client.force_login(b)
    seen_by_b = form_data(client.get(url)) | JOINED
    client.force_login(target)  # the person signs in meanwhile: not an edit

    client.force_login(a)
    assert client.post(url, seen_by_a | {"email": "new@example.org"}).status_code == 302
    client.force_login(b)
    refused = client.post(url, seen_by_b | {"first_name": "李"})

    assert "王科长 已于" in refused.content.decode()
    target.refresh_from_db()
    assert (target.email, target.first_name) == ("new@example.org", "")
