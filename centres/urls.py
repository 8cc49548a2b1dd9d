from django.urls import path

from centres.views import core, registration, roles

app_name = "centres"

urlpatterns = [
    path("audit/", core.audit_trail, name="audit_trail"),
    path("locked-accounts/", core.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", core.unlock_account, name="unlock_account"),
    path("registrations/", registration.registrations, name="registrations"),
    path("registrations/approve-all/", registration.registration_approve_all, name="registration_approve_all"),
    path("registrations/<uuid:membership_id>/approve/", registration.registration_approve, name="registration_approve"),
    path("registrations/<uuid:membership_id>/reject/", registration.registration_reject, name="registration_reject"),
    path("register-delegate/", registration.register_delegate, name="register_delegate"),
    path("roles/", roles.roles, name="roles"),
    path("roles/people/<uuid:membership_id>/", roles.person_roles, name="person_roles"),
    path("roles/revoke/<uuid:assignment_id>/", roles.revoke_role, name="revoke_role"),
    path("welcome-emails/", registration.welcome_emails, name="welcome_emails"),
    path("welcome-emails/<uuid:membership_id>/send/", registration.welcome_email_send, name="welcome_email_send"),
]
