"""/passports/: learner, supervisor and educator pages. Each area keeps its own block."""

from django.urls import path

app_name = "passports"

urlpatterns = []

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
