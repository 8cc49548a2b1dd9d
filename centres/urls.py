from django.urls import path

from centres.views import core, delegates

app_name = "centres"

urlpatterns = [
    path("audit/", core.audit_trail, name="audit_trail"),
    path("locked-accounts/", core.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", core.unlock_account, name="unlock_account"),
    path("delegates/", delegates.delegate_list, name="delegate_list"),
    path("delegates/export/", delegates.delegate_export, name="delegate_export"),
    path("delegates/<uuid:membership_id>/", delegates.delegate_detail, name="delegate_detail"),
    path("delegates/<uuid:membership_id>/edit/", delegates.delegate_edit, name="delegate_edit"),
    path("delegates/<uuid:membership_id>/deactivate/", delegates.delegate_deactivate, name="delegate_deactivate"),
    path("delegates/<uuid:membership_id>/reactivate/", delegates.delegate_reactivate, name="delegate_reactivate"),
    path("delegates/<uuid:membership_id>/delete/", delegates.delegate_delete, name="delegate_delete"),
]
