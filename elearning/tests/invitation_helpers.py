"""Shared set-up for the E2 invitation tests."""

from centres.roles import Role
from elearning.models import JobCategory
from elearning.services.invitations import invitation_create
from tests.factories import CentreFactory, MembershipFactory

DETAILS = {
    "first_name": "Nadia",
    "last_name": "Hussain",
    "contact_number": "0113 243 3144",
    "job_title": "Staff nurse",
    "job_category": JobCategory.NURSE.value,
}


def site_with_authoriser(**centre_fields):
    site = CentreFactory(**centre_fields)
    authoriser = MembershipFactory(centre=site, role=Role.AUTHORISER).user
    return site, authoriser


def invite(site, authoriser, email="nadia.hussain@example.org", **overrides):
    """(invitation, token) for a fresh invitation."""
    sent = invitation_create(site=site, invited_by=authoriser, email=email, **{**DETAILS, **overrides})
    return sent.invitation, sent.token


def form_data(**overrides) -> dict:
    return {**DETAILS, "email": "nadia.hussain@example.org", **overrides}
