"""/passports/: learner, supervisor and educator pages. Each area keeps its own block."""

from django.urls import path

app_name = "passports"

urlpatterns = []

# -- P4/P6 learner: self-assessment and confirmation requests (passports/views/learner.py) --
from passports.views import learner as learner_views  # noqa: E402

urlpatterns += [
    path("", learner_views.learner_home, name="learner_home"),
    path("enrolments/<uuid:enrolment_id>/", learner_views.learner_passport, name="learner_passport"),
    path(
        "enrolments/<uuid:enrolment_id>/proficiencies/<int:position>/",
        learner_views.learner_proficiency,
        name="learner_proficiency",
    ),
    path(
        "enrolments/<uuid:enrolment_id>/request-confirmation/",
        learner_views.learner_request_confirmation,
        name="learner_request_confirmation",
    ),
    path(
        "enrolments/<uuid:enrolment_id>/request-confirmation/<uuid:request_id>/resend/",
        learner_views.learner_request_resend,
        name="learner_request_resend",
    ),
    path(
        "enrolments/<uuid:enrolment_id>/request-confirmation/<uuid:request_id>/withdraw/",
        learner_views.learner_request_withdraw,
        name="learner_request_withdraw",
    ),
]

# P7/P8 supervisor dashboard, review and sign-off (p7-supervisor).
from passports.views import signoff as signoff_views  # noqa: E402
from passports.views import supervisor as supervisor_views  # noqa: E402

urlpatterns += [
    path("supervise/", supervisor_views.supervise, name="supervise"),
    path("supervise/requests/<uuid:request_id>/", supervisor_views.supervise_request, name="supervise_request"),
    path("supervise/enrolments/<uuid:enrolment_id>/", supervisor_views.supervise_enrolment, name="supervise_enrolment"),
    path(
        "supervise/enrolments/<uuid:enrolment_id>/reopen/",
        supervisor_views.supervise_reopen,
        name="supervise_reopen",
    ),
    path("supervise/sign-offs/<uuid:signoff_id>/", signoff_views.supervise_signoff, name="supervise_signoff"),
    path("enrolments/<uuid:enrolment_id>/sign-off/", signoff_views.signoff, name="signoff"),
]
