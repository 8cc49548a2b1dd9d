"""/account/: the person's own details and notification preferences (C7, C11)."""

from django.urls import path

from centres.views import account

app_name = "my_account"

urlpatterns = [
    path("", account.account_details, name="details"),
    path("notifications/", account.notification_preferences, name="notifications"),
]
