"""R1: joining a register with an allow-listed email domain.

The page never says whether an account exists: a new person and an existing one both see
"check your email", and only the email (which only the address's owner reads) says which.
An existing account is never changed from the page (anyone can type an address): its owner
gets a link that works only when they are logged in, and joins by accepting it
(centres.ownership: an account joins only through its owner).
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from centres.audit import audit_record
from centres.models import Centre, Membership, RegistrationType, RoleAssignment
from centres.ownership import email_owner_id, membership_accept, person_create_for_centre
from centres.roles import Role
from centres.services.memberships import membership_create
from centres.services.welcome import welcome_link_send
from core.exceptions import ServiceError
from notifications.services import email_send
from referrals.models import Register, RegisterOrganisation
from referrals.selectors.administration import REGISTER_ROLE_VALUES
from referrals.services.register_users import register_role_grant
from submissions.races import unique_race_retried


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def signup_organisation(*, register: Register, email: str) -> Centre | None:
    """The organisation of `register` whose allow-listed domains include the email's domain
    (exactly, lower-case), or None. Registers have a handful of organisations, so the match
    is made here rather than with a JSON query (which SQLite cannot do)."""
    domain = email_domain(email)
    if not domain:
        return None
    places = RegisterOrganisation.objects.filter(register=register).select_related("centre")
    for place in places:
        if domain in [d.strip().lower() for d in place.email_domains] and place.centre.is_active:
            return place.centre
    return None


ACCEPT_SALT = "referrals.signup.accept"
ACCEPT_MAX_AGE = 7 * 24 * 3600  # the join link for an existing account works for a week


def signup_accept_token(*, user, organisation: Centre) -> str:
    return signing.dumps({"user": str(user.public_id), "organisation": str(organisation.public_id)}, salt=ACCEPT_SALT)


def signup_accept_organisation(*, register: Register, token: str, user) -> Centre | None:
    """The organisation a join link names, if it is valid, for `user`, and in `register`."""
    try:
        data = signing.loads(token, salt=ACCEPT_SALT, max_age=ACCEPT_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != str(user.public_id):
        return None
    place = (
        RegisterOrganisation.objects.filter(register=register, centre__public_id=data.get("organisation"))
        .select_related("centre")
        .first()
    )
    return place.centre if place is not None and place.centre.is_active else None


def _membership_approved(*, user, organisation: Centre, request, actor=None) -> Membership:
    membership = membership_create(
        user=user,
        centre=organisation,
        registration_type=RegistrationType.SELF,
        is_approved=True,
        actor=actor,
        request=request,
    )
    membership.approved_at = timezone.now()
    membership.save(update_fields=["approved_at"])
    return membership


@unique_race_retried
@transaction.atomic
def register_signup(
    *, register: Register, organisation: Centre, email: str, first_name: str, last_name: str, request=None
) -> None:
    """A new person gets an account, an approved record at `organisation`, the referrer role
    (a system grant: the allow-listed domain is the authority) and a set-password link. An
    existing person gets an email saying to log in (plus the record and the role if they had
    none there). Returns nothing: the caller shows the same page either way."""
    email = email.strip().lower()
    owner_id = email_owner_id(email)
    user = User.objects.filter(pk=owner_id).first() if owner_id is not None else None
    if user is None:
        user = person_create_for_centre(centre=organisation, email=email, first_name=first_name, last_name=last_name)
        membership = _membership_approved(user=user, organisation=organisation, request=request)
        register_role_grant(user=user, organisation=organisation, role=Role.REFERRER, request=request)
        welcome_link_send(membership=membership, sent_by=None, signed_up=True, joined=register.name, request=request)
        outcome = "new account, referrer role and set-password link"
    else:
        outcome = _existing_person_signup(user=user, register=register, organisation=organisation, request=request)
    audit_record(
        actor=None,
        centre=organisation,
        action="register.signup",
        target=user,
        summary=f"Sign-up to {register.name} as {email}: {outcome}",
        request=request,
    )


def _existing_person_signup(*, user, register: Register, organisation: Centre, request) -> str:
    """Nothing is written for an existing account: its owner is emailed a join link."""
    if not user.is_active or user.is_staff:
        # Nothing to give: a deactivated account, or platform staff (who see no patient data).
        return "existing account, not eligible: nothing changed"
    token = signup_accept_token(user=user, organisation=organisation)
    email_send(
        to=[user.email],
        template="referrals/emails/signup_existing",
        context={
            "user": user,
            "register": register,
            "organisation": organisation,
            "accept_url": settings.SITE_URL
            + reverse("referrals:signup_accept", kwargs={"register_slug": register.slug, "token": token}),
            "login_url": settings.SITE_URL + reverse("account_login"),
            "reset_url": settings.SITE_URL + reverse("account_reset_password"),
        },
        centre=organisation,
    )
    return "existing account: join link emailed to the owner, nothing changed"


@transaction.atomic
def register_signup_accept(*, register: Register, organisation: Centre, user, request=None) -> Membership:
    """The logged-in owner of an existing account accepts the join link: a record at
    `organisation` (made by them, so accepted) and the referrer role unless they hold a
    register role there."""
    if not user.is_active or user.is_staff:
        raise SignupError("Platform staff cannot join a register (they see no patient data)")
    membership = Membership.objects.for_centre(organisation).filter(user=user).first()
    changes = []
    if membership is None:
        membership = _membership_approved(user=user, organisation=organisation, request=request, actor=user)
        changes.append("record created")
    elif membership.status != "active":
        raise SignupError(
            f"Your record at {organisation.name} is not active. Ask {organisation.name}'s administrators about it."
        )
    membership_accept(membership=membership)
    holds_register_role = (
        RoleAssignment.objects.for_centre(organisation)
        .filter(user=user, role__in=REGISTER_ROLE_VALUES, revoked_at__isnull=True)
        .exists()
    )
    if not holds_register_role:
        register_role_grant(user=user, organisation=organisation, role=Role.REFERRER, request=request)
        changes.append("referrer role granted")
    audit_record(
        actor=user,
        centre=organisation,
        action="register.signup_accepted",
        target=user,
        summary=f"{user.get_full_name()} accepted the join link of {register.name}: "
        + (", ".join(changes) or "nothing to change"),
        request=request,
    )
    return membership


class SignupError(ServiceError):
    """The join link cannot be accepted; the message is for the person."""
