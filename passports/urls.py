"""/passports/: learner, supervisor and educator pages. Each area keeps its own block."""

from django.urls import path

app_name = "passports"

urlpatterns = []

# P2 staff list, P3 enrolment, P5 supervisors (p2-staff-enrol)
from passports.views import enrolment as enrolment_views  # noqa: E402
from passports.views import staff as staff_views  # noqa: E402
from passports.views import supervisors as supervisor_views  # noqa: E402

urlpatterns += [
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/add/", staff_views.staff_add, name="staff_add"),
    path("staff/<uuid:entry_id>/", staff_views.staff_entry, name="staff_entry"),
    path("staff/<uuid:entry_id>/remove/", staff_views.staff_remove, name="staff_remove"),
    path("staff/<uuid:entry_id>/enrol/", enrolment_views.enrolment_create, name="enrolment_create"),
    path("enrolments/<uuid:enrolment_id>/remove/", enrolment_views.enrolment_remove, name="enrolment_remove"),
    path("enrolments/<uuid:enrolment_id>/supervisors/", supervisor_views.supervisor_list, name="supervisor_list"),
    path(
        "enrolments/<uuid:enrolment_id>/supervisors/<uuid:supervisor_user_id>/remove/",
        supervisor_views.supervisor_remove,
        name="supervisor_remove",
    ),
]
