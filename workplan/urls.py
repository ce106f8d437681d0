from django.contrib import admin
from django.urls import include, path

from .health import healthz

admin.site.site_header = "工作要点推进管理"
admin.site.site_title = "工作要点推进管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("import/", include("tasks.urls")),
    path("", include("reports.urls")),
]
