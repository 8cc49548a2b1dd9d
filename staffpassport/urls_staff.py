"""S7 staff passport pages (/staff-passport/ ...), included from staffpassport/urls.py."""

from django.urls import path

from staffpassport.views_staff import credentials, esr, staff

urlpatterns = [
    path("staff/", staff.staff_awaiting, name="staff_awaiting"),
    path("staff/reviewed/", staff.staff_reviewed, name="staff_reviewed"),
    path("staff/<uuid:staff_id>/", staff.staff_detail, name="staff_detail"),
    path("staff/<uuid:staff_id>/complete/", staff.staff_complete, name="staff_complete"),
    path("staff/<uuid:staff_id>/bypass/", staff.staff_bypass, name="staff_bypass"),
    path("credentials/waiting/", credentials.credentials_waiting_page, name="credentials_waiting"),
    path("credentials/expiring/", credentials.credentials_expiring_page, name="credentials_expiring"),
    path("credentials/<uuid:credential_id>/", credentials.credential_detail, name="credential_detail"),
    path("esr/", esr.esr_upload, name="esr_upload"),
    path("esr/example.csv", esr.esr_example, name="esr_example"),
    path("esr/<uuid:import_id>/", esr.esr_import, name="esr_import"),
    path("esr/<uuid:import_id>/confirm/", esr.esr_confirm, name="esr_confirm"),
    path("esr/<uuid:import_id>/cancel/", esr.esr_cancel, name="esr_cancel"),
    path("esr/<uuid:import_id>/retry/", esr.esr_retry, name="esr_retry"),
]
