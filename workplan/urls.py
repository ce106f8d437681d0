from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from api.pages import api_token_revoke, api_tokens

from .health import healthz

handler400 = "workplan.errors.bad_request"

admin.site.site_header = "工作要点推进管理"
admin.site.site_title = "工作要点推进管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's): the product's own.
    # (Resolved per request: with DEBUG off the name comes from collectstatic's manifest.)
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.svg"))),
    # Sign-in, sign-out and changing one's own password. No public "forgot password" pages:
    # the office resets a password in the admin (docs/security.md), so nobody can send
    # reset mails to staff addresses or probe which addresses have accounts.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("account/api-tokens/", api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", api_token_revoke, name="api_token_revoke"),
    path("import/", include("tasks.urls")),
    path("", include("reports.urls")),
    path("", include("progress.urls")),
    path("", include("reminders.urls")),
]
