"""E2 invitations in the isolation walk (tests/test_isolation.py): centre B is also a care-record
site with its own authoriser, a pending invitation and an answered one. Every A role asking
for B's site or B's invitation ids must get 404 (tests/tenancy.py registers `site_id` and
`invitation_id`); the invitee's link takes only a secret (`token`, walked with a wrong one)."""

from centres.roles import Role
from conftest import ALL_ROLES
from elearning.services.invitations import invitation_create
from elearning.services.invitations_response import invitation_reject


def elearning_invitations_world(b: dict, centre_b, b_members) -> list[str]:
    """Adds B's invitations to the world; returns the words that must never reach A."""
    authoriser = b_members[ALL_ROLES.index(Role.AUTHORISER)].user
    details = {
        "first_name": "Bravissima",
        "last_name": "Zanzibar-Invitee",
        "contact_number": "0113 000 0000",
        "job_title": "Zanzibar ward clerk",
        "job_category": "admin_clerical",
    }
    pending = invitation_create(site=centre_b, invited_by=authoriser, email="invitee@bravo-secret.example", **details)
    answered = invitation_create(site=centre_b, invited_by=authoriser, email="refuser@bravo-secret.example", **details)
    invitation_reject(invitation=answered.invitation, reason="Zanzibar private reason")
    b["elearning_site"] = centre_b
    b["elearning_invitation"] = pending.invitation
    b["elearning_answered_invitation"] = answered.invitation
    b["elearning_invitation_token"] = pending.token
    return ["Zanzibar-Invitee", "Zanzibar ward clerk", "Zanzibar private reason"]
