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

# Issue 16 item 2: a section answered in place, several marked at once (views/learner_sections.py).
from passports.views import learner_sections as learner_section_views  # noqa: E402

urlpatterns += [
    path(
        "enrolments/<uuid:enrolment_id>/sections/<int:section_position>/",
        learner_section_views.learner_section,
        name="learner_section",
    ),
    path(
        "enrolments/<uuid:enrolment_id>/sections/<int:section_position>/mark/",
        learner_section_views.learner_section_mark,
        name="learner_section_mark",
    ),
    path(
        "enrolments/<uuid:enrolment_id>/proficiencies/<int:position>/answer/",
        learner_section_views.learner_answer,
        name="learner_answer",
    ),
]

# P2 staff list, P3 enrolment, P5 supervisors (p2-staff-enrol)
from passports.views import enrolment as enrolment_views  # noqa: E402
from passports.views import staff as staff_views  # noqa: E402
from passports.views import supervisors as supervisors_views  # noqa: E402

urlpatterns += [
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/add/", staff_views.staff_add, name="staff_add"),
    path("staff/<uuid:entry_id>/", staff_views.staff_entry, name="staff_entry"),
    path("staff/<uuid:entry_id>/remove/", staff_views.staff_remove, name="staff_remove"),
    path("staff/<uuid:entry_id>/enrol/", enrolment_views.enrolment_create, name="enrolment_create"),
    path("enrolments/<uuid:enrolment_id>/remove/", enrolment_views.enrolment_remove, name="enrolment_remove"),
    path("enrolments/<uuid:enrolment_id>/supervisors/", supervisors_views.supervisor_list, name="supervisor_list"),
    path(
        "enrolments/<uuid:enrolment_id>/supervisors/<uuid:supervisor_user_id>/remove/",
        supervisors_views.supervisor_remove,
        name="supervisor_remove",
    ),
]

# P9 record and certificate, P10 progress report (passports/views/records.py).
from passports.views import records as record_views  # noqa: E402

urlpatterns += [
    path("records/<uuid:enrolment_id>/", record_views.record_download, name="record"),
    path("records/<uuid:enrolment_id>/pdf/", record_views.record_pdf, name="record_pdf"),
    path("records/<uuid:enrolment_id>/xlsx/", record_views.record_xlsx, name="record_xlsx"),
    path("records/<uuid:enrolment_id>/certificate.pdf", record_views.record_certificate, name="record_certificate"),
    path("reports/", record_views.progress_report, name="reports"),
]

# P7/P8 supervisor dashboard, review and sign-off (p7-supervisor).
from passports.views import signoff as signoff_views  # noqa: E402
from passports.views import supervisor as supervise_views  # noqa: E402

urlpatterns += [
    path("supervise/", supervise_views.supervise, name="supervise"),
    path("supervise/requests/<uuid:request_id>/", supervise_views.supervise_request, name="supervise_request"),
    path("supervise/enrolments/<uuid:enrolment_id>/", supervise_views.supervise_enrolment, name="supervise_enrolment"),
    path(
        "supervise/enrolments/<uuid:enrolment_id>/reopen/",
        supervise_views.supervise_reopen,
        name="supervise_reopen",
    ),
    path("supervise/sign-offs/<uuid:signoff_id>/", signoff_views.supervise_signoff, name="supervise_signoff"),
    path("enrolments/<uuid:enrolment_id>/sign-off/", signoff_views.signoff, name="signoff"),
]

# Issue 16 item 12: the administrators' enrolment list (passports/views/enrolments.py).
from passports.views import enrolments as enrolments_views  # noqa: E402

urlpatterns += [path("enrolments/", enrolments_views.enrolment_list, name="enrolment_list")]
