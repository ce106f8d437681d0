from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("assignments/<int:pk>/report/", views.report_create, name="report_create"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", views.review_create, name="review_create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("exports/quarterly/", views.report_export, name="report_export"),
    path("assignments/<int:pk>/chase/", views.chase_create_view, name="chase_create"),
    path("notifications/", views.notification_list, name="notifications"),
]
