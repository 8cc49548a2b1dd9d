"""S1-S6 senior portal administrator settings, under /staff-passport/settings/."""

from django.urls import path

from staffpassport.views import job_roles, settings, templates

urlpatterns = [
    path("", settings.home, name="settings"),
    path("organisation/", settings.organisation, name="organisation"),
    path("organisation/<slug:contact>/<slug:detail>/", settings.contact_change, name="contact_change"),
    path("notifications/", settings.notifications, name="notifications"),
    path("notifications/<slug:team>/email/", settings.team_email, name="team_email"),
    path("notifications/<slug:team>/send/", settings.team_sending, name="team_sending"),
    path("auto-issuance/", settings.auto_issuance, name="auto_issuance"),
    path("templates/", templates.template_list, name="templates"),
    path("templates/which/", templates.template_which, name="template_which"),
    path("templates/new/", templates.template_new, name="template_new"),
    path("templates/new/<slug:staff_group>/", templates.template_create_view, name="template_create"),
    path("templates/<uuid:template_id>/", templates.template_detail, name="template_detail"),
    path("templates/<uuid:template_id>/edit/", templates.template_edit, name="template_edit"),
    path("templates/<uuid:template_id>/delete/", templates.template_delete_view, name="template_delete"),
    path("job-roles/", job_roles.job_role_groups, name="job_roles"),
    path("job-roles/role/<uuid:job_role_id>/edit/", job_roles.job_role_edit, name="job_role_edit"),
    path("job-roles/role/<uuid:job_role_id>/delete/", job_roles.job_role_delete_view, name="job_role_delete"),
    path("job-roles/<slug:staff_group>/", job_roles.job_role_group, name="job_role_group"),
    path("job-roles/<slug:staff_group>/new/", job_roles.job_role_add, name="job_role_add"),
]
