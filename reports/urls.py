from django.urls import path

from . import document_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("exports/quarterly/", views.report_export, name="report_export"),
    path("exports/fill-in/", document_views.fill_in_download, name="fill_in_download"),
    path("exports/bulletin/", document_views.bulletin_download, name="bulletin_download"),
]
