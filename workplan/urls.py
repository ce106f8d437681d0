from django.contrib import admin
from django.urls import include, path

from api.pages import api_token_revoke, api_tokens

from .health import healthz

admin.site.site_header = "工作要点推进管理"
admin.site.site_title = "工作要点推进管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("account/api-tokens/", api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", api_token_revoke, name="api_token_revoke"),
    path("import/", include("tasks.urls")),
    path("", include("reports.urls")),
    path("", include("progress.urls")),
    path("", include("reminders.urls")),
]
