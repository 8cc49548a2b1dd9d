from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("<uuid:job_id>/", views.report_job, name="job"),
    path("<uuid:job_id>/download/", views.report_download, name="download"),
    path("<uuid:job_id>/retry/", views.report_retry, name="retry"),
]
