from django.urls import path

from . import upload_views, views

urlpatterns = [
    path("assignments/<int:pk>/report/", views.report_create, name="report_create"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", views.review_create, name="review_create"),
    path("fill-in/upload/", upload_views.fill_in_upload, name="fill_in_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
