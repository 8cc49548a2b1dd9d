from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = ["notifications.view_outboundemail", "notifications.view_systemnotice"]
