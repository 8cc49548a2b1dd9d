"""/platform/frameworks/: platform staff import, export, publish and view frameworks (P1)."""

from django.urls import path

from passports.views import frameworks

app_name = "frameworks"

urlpatterns = [
    path("", frameworks.framework_list, name="list"),
    path("upload/", frameworks.framework_upload, name="upload"),
    path("versions/<uuid:version_id>/", frameworks.version_detail, name="version"),
    path("versions/<uuid:version_id>/download/", frameworks.version_download, name="version_download"),
    path("versions/<uuid:version_id>/publish/", frameworks.version_publish, name="version_publish"),
    path("versions/<uuid:version_id>/new-draft/", frameworks.version_draft_start, name="version_draft_start"),
    path("versions/<uuid:version_id>/delete/", frameworks.version_delete, name="version_delete"),
]
