"""Changing one's own password is the product's page, reached from the menu (it was the Django admin's)."""

from django.urls import reverse


def test_staff_change_their_password_on_the_products_page(actors, login):
    """Found by trying: /accounts/password_change/ showed the admin's header, whose links staff cannot open."""
    actors.staff.set_password("old-secret-1")
    actors.staff.save()
    client = login(actors.staff)
    assert reverse("password_change") in client.get(reverse("my_work")).content.decode()  # in the menu

    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and "Django" not in page and reverse("admin:index") not in page

    bad = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "Xk9#vq2!mLp", "new_password2": "Xk9#vq2!mLp"},
    )
    assert bad.status_code == 200 and "Django" not in bad.content.decode()

    done = client.post(
        reverse("password_change"),
        {"old_password": "old-secret-1", "new_password1": "Xk9#vq2!mLp", "new_password2": "Xk9#vq2!mLp"},
        follow=True,
    )
    assert "密码已修改" in done.content.decode() and "Django" not in done.content.decode()
    actors.staff.refresh_from_db()
    assert actors.staff.check_password("Xk9#vq2!mLp")
