"""R1: joining a register with an allow-listed email domain.

The page never says whether an account exists: a new person and an existing one both see
"check your email", and only the email (which only the address's owner reads) says which.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from centres.audit import audit_record
from centres.models import Centre, Membership, RegistrationType, RoleAssignment
from centres.registration import welcome_link_send
from centres.roles import Role
from centres.services import membership_create
from notifications.services import email_send
from referrals.models import Register, RegisterOrganisation
from referrals.selectors.administration import REGISTER_ROLE_VALUES
from referrals.services.administration import register_role_grant
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


def _membership_approved(*, user, organisation: Centre, request) -> Membership:
    membership = membership_create(
        user=user,
        centre=organisation,
        registration_type=RegistrationType.SELF,
        is_approved=True,
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
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_create(email=email, first_name=first_name, last_name=last_name)
        membership = _membership_approved(user=user, organisation=organisation, request=request)
        register_role_grant(user=user, organisation=organisation, role=Role.REFERRER, request=request)
        welcome_link_send(membership=membership, sent_by=None, signed_up=True, request=request)
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
    if not user.is_active or user.is_staff:
        # Nothing to give: a deactivated account, or platform staff (who see no patient data).
        return "existing account, not eligible: nothing changed"
    membership = Membership.objects.for_centre(organisation).filter(user=user).first()
    changes = []
    if membership is None:
        membership = _membership_approved(user=user, organisation=organisation, request=request)
        changes.append("record created")
    holds_register_role = (
        RoleAssignment.objects.for_centre(organisation)
        .filter(user=user, role__in=REGISTER_ROLE_VALUES, revoked_at__isnull=True)
        .exists()
    )
    if membership.status == "active" and not holds_register_role:
        register_role_grant(user=user, organisation=organisation, role=Role.REFERRER, request=request)
        changes.append("referrer role granted")
    if not user.has_usable_password():
        welcome_link_send(membership=membership, sent_by=None, signed_up=True, request=request)
        changes.append("set-password link sent")
    else:
        email_send(
            to=[user.email],
            template="referrals/emails/signup_existing",
            context={
                "user": user,
                "register": register,
                "organisation": organisation,
                "login_url": settings.SITE_URL + reverse("account_login"),
                "reset_url": settings.SITE_URL + reverse("account_reset_password"),
                "register_url": settings.SITE_URL + reverse("referrals:home"),
            },
            centre=organisation,
        )
        changes.append("log-in email sent")
    return "existing account, " + ", ".join(changes)
