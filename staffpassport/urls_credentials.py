"""S8 verifiable credentials of a trust's staff (ADR 0040): one credential's digital form and
its VC-JWT download. Senior portal administrators only. Included in the `staffpassport`
namespace."""

from django.urls import path

from staffpassport.vc import views

urlpatterns = [
    path("credentials/<uuid:staff_credential_id>/digital/", views.credential_vc, name="credential_vc"),
    path("credentials/<uuid:staff_credential_id>/vc.jwt", views.credential_vc_download, name="credential_vc_download"),
]
