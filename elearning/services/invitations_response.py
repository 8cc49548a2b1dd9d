"""E2 invitations, the invitee's side (ADR 0036): what a link is worth, rejecting with a
reason, and accepting (a membership and a site staff record, in one transaction).

Who may accept: only the account whose login email is the invitation's. Someone with no
account sets a password (their own account, created by their own action through
`centres.ownership`), or, for an @nhs.net address with NHSmail configured, signs in with
NHSmail (an unclaimed account is made for NHSmail to link to by its verified email).
"""

from dataclasses import dataclass
from enum import StrEnum

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from centres.models import Membership, RegistrationType
from centres.ownership import (
    account_identity_update,
    email_owner_id,
    membership_accept,
    person_create_for_centre,
    person_create_self,
)
from centres.services.memberships import membership_create
from elearning.models import Invitation, InvitationReplacedLink, SiteStaff
from elearning.selectors.learning import required_modules_complete
from elearning.services.invitations import InvitationError, token_hash
from elearning.services.requests import site_access_request_raise
from notifications.services import email_send


class LinkState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REPLACED = "replaced"  # a resend sent a newer link


@dataclass(frozen=True)
class InvitationDetails:
    """What the invitee confirms (prefilled from the invitation, editable)."""

    first_name: str
    last_name: str
    contact_number: str
    job_title: str
    job_category: str


def invitation_by_token(token: str) -> tuple[Invitation | None, LinkState]:
    """The invitation a link's secret names and what the link is worth now. The secret is the
    permission (like a certificate's code), so this looks across sites."""
    digest = token_hash(token)
    invitation = Invitation.objects.select_related("centre", "invited_by").filter(token_hash=digest).first()
    if invitation is None:
        if InvitationReplacedLink.objects.filter(token_hash=digest).exists():
            return None, LinkState.REPLACED
        return None, LinkState.UNKNOWN
    return invitation, _state_of(invitation)


def _state_of(invitation: Invitation) -> LinkState:
    if invitation.status == Invitation.Status.PENDING:
        return LinkState.VALID if invitation.expires_at > timezone.now() else LinkState.EXPIRED
    return LinkState(invitation.status)


STATE_MESSAGES = {
    LinkState.UNKNOWN: "This invitation link is not valid",
    LinkState.EXPIRED: "This invitation has expired",
    LinkState.WITHDRAWN: "This invitation has been withdrawn",
    LinkState.ACCEPTED: "This invitation has already been accepted",
    LinkState.REJECTED: "This invitation has already been rejected",
    LinkState.REPLACED: "A newer invitation was sent",
}


def _locked_valid(invitation: Invitation) -> Invitation:
    """The invitation, locked, if it can still be answered (a second submit waits here and
    then finds it answered)."""
    locked = Invitation.objects.for_centre(invitation.centre).select_for_update().get(pk=invitation.pk)
    state = _state_of(locked)
    if state != LinkState.VALID:
        raise InvitationError(STATE_MESSAGES[state])
    return locked


@transaction.atomic
def invitation_reject(*, invitation: Invitation, reason: str, request=None) -> Invitation:
    """The invitee says no, with a reason; the inviting authoriser is emailed it."""
    reason = reason.strip()
    if not reason:
        raise InvitationError("Enter why you are rejecting the invitation", field="reason")
    locked = _locked_valid(invitation)
    locked.status = Invitation.Status.REJECTED
    locked.rejection_reason = reason
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "rejection_reason", "responded_at", "updated_at"])
    email_send(
        to=[locked.invited_by.email],
        template="elearning/emails/invitation_rejected",
        context={"invitation": locked, "site": locked.centre, "reason": reason},
        centre=locked.centre,
    )
    audit_record(
        actor=None,
        centre=locked.centre,
        action="elearning.invitation_rejected",
        target=locked,
        summary=f"{locked.email} rejected the invitation: {reason}",
        request=request,
    )
    return locked


def is_invitee(*, invitation: Invitation, user) -> bool:
    return user.is_authenticated and user.email.strip().lower() == invitation.email.strip().lower()


def _membership_for(*, invitation: Invitation, user, request) -> Membership:
    site = invitation.centre
    membership = Membership.objects.for_centre(site).filter(user=user).first()
    if membership is None:
        membership = membership_create(
            user=user,
            centre=site,
            registration_type=RegistrationType.CENTRE,
            is_approved=True,
            actor=user,
            request=request,
        )
    membership_accept(membership=membership)
    return membership


def _site_staff_for(*, invitation: Invitation, user, membership: Membership, details: InvitationDetails) -> SiteStaff:
    """A current record at the site: a deactivated or removed one of the same person becomes
    current again (its history stays in the audit trail and the requests it carries)."""
    values = {
        "invitation": invitation,
        "contact_number": details.contact_number,
        "job_title": details.job_title,
        "job_category": details.job_category,
        "status": SiteStaff.Status.CURRENT,
        "deactivation_reason": "",
        "status_detail": "",
        "status_changed_at": timezone.now(),
    }
    staff = SiteStaff.objects.for_centre(invitation.centre).filter(user=user).first()
    if staff is None:
        return SiteStaff.objects.create(centre=invitation.centre, user=user, membership=membership, **values)
    for name, value in values.items():
        setattr(staff, name, value)
    staff.save(update_fields=[*values, "updated_at"])
    return staff


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user, details: InvitationDetails, request=None) -> SiteStaff:
    """`user` (who must be the invitee: their login email is the invitation's) joins the site:
    a centre membership unless they have one, a current site staff record, the invitation
    accepted. Someone whose required eLearning is already complete is put in the central
    team's queue at once."""
    locked = _locked_valid(invitation)
    if not is_invitee(invitation=locked, user=user):
        raise InvitationError(f"This invitation is for {locked.email}. Log out first, then open the link again.")
    account_identity_update(
        user=user,
        centre=locked.centre,
        changed_by=user,
        first_name=details.first_name,
        last_name=details.last_name,
        request=request,
    )
    membership = _membership_for(invitation=locked, user=user, request=request)
    staff = _site_staff_for(invitation=locked, user=user, membership=membership, details=details)
    locked.status = Invitation.Status.ACCEPTED
    locked.accepted_user = user
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "accepted_user", "responded_at", "updated_at"])
    audit_record(
        actor=user,
        centre=locked.centre,
        action="elearning.invitation_accepted",
        target=locked,
        summary=f"{user.get_full_name()} <{user.email}> accepted the invitation ({details.job_title})",
        request=request,
    )
    if required_modules_complete(user):
        site_access_request_raise(site_staff=staff, request=request)
    return staff


def _email_verified(user) -> None:
    # Following the emailed link proves the address is theirs.
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True, primary=True)


@transaction.atomic
def invitation_accept_with_password(
    *, invitation: Invitation, details: InvitationDetails, password: str, request=None
) -> tuple:
    """No account uses the invitation's email: the invitee creates their own (their action,
    `person_create_self`) and accepts. Returns (user, site staff record)."""
    _locked_valid(invitation)
    if email_owner_id(invitation.email) is not None:
        raise InvitationError("An account already uses this email address. Log in to it to accept the invitation.")
    user = person_create_self(
        email=invitation.email, first_name=details.first_name, last_name=details.last_name, password=password
    )
    _email_verified(user)
    return user, invitation_accept(invitation=invitation, user=user, details=details, request=request)


@transaction.atomic
def invitation_nhsmail_account_prepare(*, invitation: Invitation, details: InvitationDetails) -> None:
    """Before an NHSmail sign-in: an unclaimed account with the invitation's email (none yet)
    for the sign-in to link to by its verified address. The acceptance itself happens when the
    signed-in person comes back and confirms."""
    _locked_valid(invitation)
    if email_owner_id(invitation.email) is not None:
        return
    person_create_for_centre(
        centre=invitation.centre,
        email=invitation.email,
        first_name=details.first_name,
        last_name=details.last_name,
    )
