"""E1 learners' URLs (`/elearning/...`), included from `elearning/urls.py`."""

from django.urls import path

from elearning.views import learning

urlpatterns = [
    path("", learning.dashboard, name="dashboard"),
    path("certificate.pdf", learning.certificate, name="certificate"),
    path("modules/<uuid:module_id>/", learning.module_resume, name="module"),
    path("modules/<uuid:module_id>/start/", learning.module_start, name="module_start"),
    path("modules/<uuid:module_id>/retake/", learning.module_retake, name="module_retake"),
    path("modules/<uuid:module_id>/check/", learning.knowledge_check, name="knowledge_check"),
    path("modules/<uuid:module_id>/lessons/<uuid:lesson_id>/", learning.lesson, name="lesson"),
    path(
        "modules/<uuid:module_id>/lessons/<uuid:lesson_id>/complete/", learning.lesson_complete, name="lesson_complete"
    ),
]
