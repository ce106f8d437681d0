"""Passwords are reset by the office in the admin: no public reset pages to flood staff mailboxes or probe accounts."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse


@pytest.mark.parametrize("path", ["/accounts/password_reset/", "/accounts/reset/MQ/set-password/"])
def test_the_public_reset_pages_are_not_there(client, db, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "staff-a@example.org"}).status_code == 404
    assert mail.outbox == []


def test_nothing_links_to_a_reset_page_and_the_login_page_says_whom_to_ask(client, db):
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")

    page = client.get(reverse("login")).content.decode()

    assert "忘记密码或账号被锁定，请联系督查办（系统管理员）在管理后台重置。" in page


def test_a_signed_in_user_still_changes_their_own_password(actors, login):
    client = login(actors.staff)

    response = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "a-long-new-passphrase-7", "new_password2": "a-long-new-passphrase-7"},
    )

    assert response.status_code == 302
    actors.staff.refresh_from_db()
    assert actors.staff.check_password("a-long-new-passphrase-7")
