from django.urls import path

from centres.views import core

app_name = "centres"

urlpatterns = [
    path("audit/", core.audit_trail, name="audit_trail"),
    path("locked-accounts/", core.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", core.unlock_account, name="unlock_account"),
]
