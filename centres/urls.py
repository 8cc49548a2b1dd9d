from django.urls import path

from centres.views import configuration, core
from centres.views import help as help_views

app_name = "centres"

urlpatterns = [
    path("audit/", core.audit_trail, name="audit_trail"),
    path("locked-accounts/", core.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", core.unlock_account, name="unlock_account"),
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
]
