"""/centre/support/: a centre's support tickets. Included by `centres/urls/centre.py` inside the
`centres` namespace, so the names stay `centres:support_tickets` and so on."""

from django.urls import path

from support.views import centre

urlpatterns = [
    path("", centre.support_tickets, name="support_tickets"),
    path("new/", centre.support_ticket_new, name="support_ticket_new"),
    path("<uuid:ticket_id>/", centre.support_ticket, name="support_ticket"),
]
