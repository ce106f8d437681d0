from django.urls import path

from . import extension_views, upload_views, views

urlpatterns = [
    path("assignments/<int:pk>/report/", views.report_create, name="report_create"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", views.review_create, name="review_create"),
    path("assignments/<int:pk>/extension/", extension_views.extension_create, name="extension_create"),
    path("extensions/", extension_views.extension_queue, name="extension_queue"),
    path("extensions/<int:pk>/decision/", extension_views.extension_decision, name="extension_decision"),
    path("fill-in/upload/", upload_views.fill_in_upload, name="fill_in_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("quarters/finalise/", views.quarter_finalise_view, name="quarter_finalise"),
    path("quarters/<int:pk>/reopen/", views.quarter_reopen_view, name="quarter_reopen"),
]
