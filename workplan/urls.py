from django.contrib import admin
from django.urls import path

admin.site.site_header = "工作要点推进管理"
admin.site.site_title = "工作要点推进管理"

urlpatterns = [
    path("admin/", admin.site.urls),
]
