"""/platform/: pages for platform staff (support tickets C13, system notices C14, centres and
their centre managers)."""

from django.urls import path

from centres.views import platform

app_name = "platform"

urlpatterns = [
    path("support/", platform.support_tickets, name="support_tickets"),
    path("support/<uuid:ticket_id>/", platform.support_ticket, name="support_ticket"),
    path("support/<uuid:ticket_id>/close/", platform.support_ticket_close, name="support_ticket_close"),
    path("centres/", platform.centres, name="centres"),
    path("centres/<uuid:centre_id>/centre-manager/", platform.centre_manager, name="centre_manager"),
    path("notices/", platform.notices, name="notices"),
    path("notices/<uuid:notice_id>/publish/", platform.notice_publish, name="notice_publish"),
    path("notices/<uuid:notice_id>/withdraw/", platform.notice_withdraw, name="notice_withdraw"),
]
