from django.urls import include, path

from centres.views import bulk, configuration, core, delegates, mass_actions, registration, roles, second_factor
from centres.views import help as help_views

app_name = "centres"

urlpatterns = [
    path("audit/", core.audit_trail, name="audit_trail"),
    path("locked-accounts/", core.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", core.unlock_account, name="unlock_account"),
    path("registrations/", registration.registrations, name="registrations"),
    path("registrations/approve-all/", mass_actions.registration_approve_all, name="registration_approve_all"),
    path("registrations/<uuid:membership_id>/approve/", registration.registration_approve, name="registration_approve"),
    path("registrations/<uuid:membership_id>/reject/", registration.registration_reject, name="registration_reject"),
    path("register-delegate/", registration.register_delegate, name="register_delegate"),
    path("roles/", roles.roles, name="roles"),
    path("roles/people/<uuid:membership_id>/", roles.person_roles, name="person_roles"),
    path("roles/revoke/<uuid:assignment_id>/", roles.revoke_role, name="revoke_role"),
    path("welcome-emails/", registration.welcome_emails, name="welcome_emails"),
    path("welcome-emails/send-all/", mass_actions.welcome_emails_all, name="welcome_emails_all"),
    path("welcome-emails/<uuid:membership_id>/send/", registration.welcome_email_send, name="welcome_email_send"),
    # C10 centre configuration
    path("configuration/", configuration.summary, name="configuration"),
    path("configuration/notify-email/", configuration.notify_email, name="configuration_notify_email"),
    path("configuration/support-details/", configuration.support_details, name="configuration_support_details"),
    path("configuration/public-details/", configuration.public_details, name="configuration_public_details"),
    path("configuration/prompts/add/", configuration.prompt_add, name="prompt_add"),
    path("configuration/prompts/<uuid:prompt_id>/", configuration.prompt_edit, name="prompt_edit"),
    path("configuration/prompts/<uuid:prompt_id>/remove/", configuration.prompt_remove, name="prompt_remove"),
    # C12 job groups reference
    path("job-groups/", help_views.job_groups, name="job_groups"),
    # C13: the support app's pages, by dotted path so that centres imports nothing from it.
    path("support/", include("support.urls.centre")),
    path("delegates/", delegates.delegate_list, name="delegate_list"),
    path("delegates/export/", delegates.delegate_export, name="delegate_export"),
    path("delegates/bulk/", bulk.bulk_page, name="delegates_bulk"),
    path("delegates/bulk/template.xlsx", bulk.bulk_template, name="delegates_bulk_template"),
    path("delegates/bulk/current.xlsx", bulk.bulk_current, name="delegates_bulk_current"),
    path("delegates/bulk/<uuid:upload_id>/", bulk.bulk_upload, name="delegates_bulk_upload"),
    path("delegates/bulk/<uuid:upload_id>/confirm/", bulk.bulk_upload_confirm, name="delegates_bulk_confirm"),
    path("delegates/bulk/<uuid:upload_id>/cancel/", bulk.bulk_upload_cancel, name="delegates_bulk_cancel"),
    path("delegates/bulk/<uuid:upload_id>/retry/", bulk.bulk_upload_retry, name="delegates_bulk_retry"),
    path("delegates/<uuid:membership_id>/", delegates.delegate_detail, name="delegate_detail"),
    path("delegates/<uuid:membership_id>/edit/", delegates.delegate_edit, name="delegate_edit"),
    path("delegates/<uuid:membership_id>/deactivate/", delegates.delegate_deactivate, name="delegate_deactivate"),
    path("delegates/<uuid:membership_id>/reactivate/", delegates.delegate_reactivate, name="delegate_reactivate"),
    path("delegates/<uuid:membership_id>/delete/", delegates.delegate_delete, name="delegate_delete"),
    path(
        "delegates/<uuid:membership_id>/second-factor/reset/",
        second_factor.second_factor_reset,
        name="second_factor_reset",
    ),
]
