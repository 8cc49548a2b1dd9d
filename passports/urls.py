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
