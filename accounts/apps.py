from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "account.view_emailaddress",
    ]
