"""/platform/: pages for platform staff (support tickets C13, system notices C14, centres and
their centre managers)."""

from django.urls import include, path

from centres.views import platform

app_name = "platform"

urlpatterns = [
    path("support/", include("support.urls.platform")),  # C13, by dotted path (centres imports no feature app)
    path("centres/", platform.centres, name="centres"),
    path("centres/new/", platform.centre_add, name="centre_add"),
    path("centres/<uuid:centre_id>/edit/", platform.centre_edit, name="centre_edit"),
    path("centres/<uuid:centre_id>/centre-manager/", platform.centre_manager, name="centre_manager"),
    path("notices/", platform.notices, name="notices"),
    path("notices/<uuid:notice_id>/publish/", platform.notice_publish, name="notice_publish"),
    path("notices/<uuid:notice_id>/withdraw/", platform.notice_withdraw, name="notice_withdraw"),
]
