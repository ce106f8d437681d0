"""/api/…: the endpoints, the OpenAPI schema and its browsable docs (docs/api.md)."""

from django.middleware.http import ConditionalGetMiddleware
from django.urls import path, re_path
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.vary import vary_on_headers
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from . import views
from .errors import not_found

_etag = decorator_from_middleware(ConditionalGetMiddleware)


def conditional(view):
    """ETag on a read (a hash of the body) and 304 on a matching If-None-Match; the answer differs per token."""
    return vary_on_headers("Authorization")(_etag(view))


urlpatterns = [
    path("workplans/", conditional(views.WorkplanList.as_view()), name="api_workplans"),
    path("departments/", conditional(views.DepartmentList.as_view()), name="api_departments"),
    path("tasks/", conditional(views.TaskList.as_view()), name="api_tasks"),
    path("tasks/<int:pk>/", conditional(views.TaskDetail.as_view()), name="api_task"),
    path(
        "quarters/<int:year>/<int:quarter>/table/",
        conditional(views.QuarterlyTable.as_view()),
        name="api_quarterly_table",
    ),
    path("assignments/<int:pk>/reports/", views.ReportCreate.as_view(), name="api_report_create"),
    path("reports/<int:pk>/review/", views.ReviewCreate.as_view(), name="api_review_create"),
    path("evidence/<int:pk>/", views.EvidenceDownload.as_view(), name="api_evidence"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api_schema", permission_classes=[AllowAny]),
        name="api_docs",
    ),
    re_path(r"^.*$", not_found),
]
