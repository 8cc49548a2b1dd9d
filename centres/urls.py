from django.urls import path

from centres.views import core, support

app_name = "centres"

urlpatterns = [
    path("audit/", core.audit_trail, name="audit_trail"),
    path("locked-accounts/", core.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", core.unlock_account, name="unlock_account"),
    path("support/", support.support_tickets, name="support_tickets"),
    path("support/new/", support.support_ticket_new, name="support_ticket_new"),
    path("support/<uuid:ticket_id>/", support.support_ticket, name="support_ticket"),
]
