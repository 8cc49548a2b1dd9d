from django.apps import AppConfig

from accounts.mail import mail_sender_register


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = ["notifications.view_outboundemail", "notifications.view_systemnotice"]

    def ready(self):
        from notifications.services import email_send

        mail_sender_register(email_send)  # allauth's emails go through the outbox (accounts.mail)
