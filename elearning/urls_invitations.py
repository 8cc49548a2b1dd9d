"""E2 invitations: the authoriser's pages under a site, and the invitee's link (ADR 0036)."""

from django.urls import path

from elearning.views import invitations, invitations_public

urlpatterns = [
    path("sites/<uuid:site_id>/invitations/", invitations.invitations, name="invitations"),
    path("sites/<uuid:site_id>/invitations/new/", invitations.invitation_create_view, name="invitation_create"),
    path("sites/<uuid:site_id>/invitations/history/", invitations.invitations_history, name="invitations_history"),
    path(
        "sites/<uuid:site_id>/invitations/<uuid:invitation_id>/resend/",
        invitations.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "sites/<uuid:site_id>/invitations/<uuid:invitation_id>/withdraw/",
        invitations.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
    path("invitation/<str:token>/", invitations_public.invitation, name="invitation"),
    path("invitation/<str:token>/reject/", invitations_public.invitation_reject_view, name="invitation_reject"),
    path("invitation/<str:token>/accept/", invitations_public.invitation_accept_view, name="invitation_accept"),
    path("invitation/<str:token>/account/", invitations_public.invitation_account, name="invitation_account"),
]
