"""/passports/: learner, supervisor and educator pages. Each area keeps its own block."""

from django.urls import path  # noqa: F401  (areas append their paths below)

app_name = "passports"

urlpatterns = []

# P9 record and certificate, P10 progress report (passports/views/records.py).
from django import urls as django_urls  # noqa: E402

from passports.views import records as record_views  # noqa: E402

urlpatterns += [
    django_urls.path("records/<uuid:enrolment_id>/", record_views.record_download, name="record"),
    django_urls.path("records/<uuid:enrolment_id>/pdf/", record_views.record_pdf, name="record_pdf"),
    django_urls.path("records/<uuid:enrolment_id>/xlsx/", record_views.record_xlsx, name="record_xlsx"),
    django_urls.path(
        "records/<uuid:enrolment_id>/certificate.pdf", record_views.record_certificate, name="record_certificate"
    ),
    django_urls.path("reports/", record_views.progress_report, name="reports"),
]
