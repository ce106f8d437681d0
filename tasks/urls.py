from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_start, name="import_start"),
    path("<int:pk>/", views.import_preview, name="import_preview"),
    path("<int:pk>/discard/", views.import_discard, name="import_discard"),
]
