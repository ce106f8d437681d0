from django.urls import path

from . import views

urlpatterns = [
    path("assignments/<int:pk>/report/", views.report_create, name="report_create"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", views.review_create, name="review_create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("quarters/finalise/", views.quarter_finalise_view, name="quarter_finalise"),
    path("quarters/<int:pk>/reopen/", views.quarter_reopen_view, name="quarter_reopen"),
]
