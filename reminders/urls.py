from django.urls import path

from . import views

urlpatterns = [
    path("assignments/<int:pk>/chase/", views.chase_create_view, name="chase_create"),
    path("notifications/", views.notification_list, name="notifications"),
    path("channels/", views.own_channels, name="own_channels"),
    path("channels/<int:pk>/delete/", views.own_channel_delete, name="own_channel_delete"),
    path("calendar/address/", views.calendar_token_change, name="calendar_token_change"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
