"""/dsr/: the dynamic support register (R1-R11). Areas may append their own blocks below."""

from django.urls import path

from referrals.views import administration, home, listing, outcomes, referrals, reporting, signup

app_name = "referrals"

urlpatterns = [
    path("", home.register_home, name="home"),
    # R1: public sign-up with an allow-listed email domain.
    path("join/<slug:register_slug>/", signup.signup, name="signup"),
    path("join/<slug:register_slug>/done/", signup.signup_done, name="signup_done"),
    path("join/<slug:register_slug>/accept/<str:token>/", signup.signup_accept, name="signup_accept"),
    # R3-R6: referrals, their history and notes; R5 the list.
    path("referrals/", listing.referral_list, name="list"),
    path("referrals/new/", referrals.referral_create, name="create"),
    path("referrals/<uuid:referral_id>/", referrals.referral_detail, name="detail"),
    path("referrals/<uuid:referral_id>/edit/", referrals.referral_edit, name="edit"),
    path("referrals/<uuid:referral_id>/history/", referrals.referral_history, name="history"),
    path("referrals/<uuid:referral_id>/notes/", referrals.referral_notes, name="notes"),
    # R7/R8: outcomes and archive.
    path("referrals/<uuid:referral_id>/outcomes/", outcomes.referral_outcomes, name="outcomes"),
    path("referrals/<uuid:referral_id>/outcomes/archive/", outcomes.referral_archive, name="archive"),
    # R9/R10: dashboard and Excel reports.
    path("reporting/", reporting.dashboard, name="dashboard"),
    path("reporting/reports/", reporting.report_create, name="report_create"),
    # R2/R3/R4/R11: the register's administration.
    path("administration/", administration.administration, name="administration"),
    path("administration/form/", administration.form_settings, name="form_settings"),
    path("administration/questions/new/", administration.question_create, name="question_create"),
    path("administration/questions/<uuid:question_id>/", administration.question_edit, name="question_edit"),
    path("administration/notifications/", administration.notification_settings, name="notification_settings"),
    path("administration/users/", administration.users, name="users"),
    path("administration/users/new/", administration.user_add, name="user_add"),
    path("administration/users/<uuid:user_id>/", administration.user_edit, name="user_edit"),
    path("administration/audit/", administration.audit, name="audit"),
    path("administration/audit/export/", administration.audit_export, name="audit_export"),
]
