"""/platform/support/: platform staff's view of every ticket. Included by
`centres/urls/platform.py` inside the `platform` namespace (`platform:support_tickets` ...)."""

from django.urls import path

from support.views import platform

urlpatterns = [
    path("", platform.support_tickets, name="support_tickets"),
    path("<uuid:ticket_id>/", platform.support_ticket, name="support_ticket"),
    path("<uuid:ticket_id>/close/", platform.support_ticket_close, name="support_ticket_close"),
]
