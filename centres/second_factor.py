"""Second factor (issue 11, ADR 0018): who must have one, the middleware that sends them to set
one up before anything else, allauth's MFA adapter, and the reset by a centre manager.

allauth.mfa does the factor itself (TOTP authenticator app and recovery codes, the login
stage that asks for a code). `accounts` owns the login; the roles that make someone
privileged live here, so the rule does too.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.urls import reverse

from accounts.services import user_second_factor_reset
from centres.models import Membership, RoleAssignment
from centres.ownership import accounts_used_elsewhere
from centres.roles import Role, grantable_roles
from centres.selectors.memberships import active_roles
from centres.services.errors import CentreServiceError

# DESIGN: "A second factor is required for platform staff, centre managers, administrators,
# DSR administrators and reporting users."
PRIVILEGED_ROLES = frozenset({Role.CENTRE_MANAGER, Role.ADMINISTRATOR, Role.DSR_ADMIN, Role.DSR_REPORTING})
PRIVILEGED_ROLE_LABELS = "platform staff, centre managers, administrators, DSR administrators and DSR reporting users"


def _privileged_roles(user):
    return RoleAssignment.objects.filter(user=user, role__in=PRIVILEGED_ROLES, revoked_at__isnull=True)


def user_is_privileged(user) -> bool:
    """Platform staff, or holds a privileged role at any centre or register organisation."""
    return bool(user.is_staff or user.is_superuser or _privileged_roles(user).exists())


def user_has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk).exists()


def second_factor_required(user) -> bool:
    """True when the setting is on and `user` is privileged (whether or not they have one)."""
    return bool(settings.MFA_REQUIRED_FOR_PRIVILEGED and user.is_authenticated and user_is_privileged(user))


def second_factor_missing(user) -> bool:
    """Required but not set up yet. One query: the middleware asks on every request."""
    if not (settings.MFA_REQUIRED_FOR_PRIVILEGED and user.is_authenticated):
        return False
    has_factor = Authenticator.objects.filter(user_id=OuterRef("pk"))
    privileged_role = RoleAssignment.objects.filter(
        user_id=OuterRef("pk"), role__in=PRIVILEGED_ROLES, revoked_at__isnull=True
    )
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(~Exists(has_factor))
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Exists(privileged_role))
        .exists()
    )


class SecondFactorRequiredMiddleware:
    """With MFA_REQUIRED_FOR_PRIVILEGED on, a privileged person who has no authenticator yet
    reaches only the pages that set one up (and log out); everything else sends them there.
    `request.second_factor_setup_required` tells the set-up pages to explain why, and on those
    pages `request.second_factor_required` whether it may be turned off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.second_factor_setup_required = False
        request.second_factor_required = False
        if second_factor_missing(request.user):
            request.second_factor_setup_required = request.second_factor_required = True
            if not self._allowed(request.path):
                return redirect("mfa_activate_totp")
        elif request.path.startswith(reverse("mfa_index")):
            request.second_factor_required = second_factor_required(request.user)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed_prefixes = (
            reverse("mfa_index"),  # set-up, recovery codes, re-authenticate with a code
            reverse("account_logout"),
            reverse("account_reauthenticate"),  # set-up asks for the password again after a while
            reverse("account_login"),
            settings.STATIC_URL,
        )
        return path.startswith(allowed_prefixes)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "Your roles need two-factor authentication, so you cannot turn it off. "
            "To move it to a new phone, ask your centre manager or the platform team to reset it."
        ),
        "cannot_generate_recovery_codes": "Set up an authenticator app before you create recovery codes.",
        "incorrect_code": "The code is not correct. Enter the 6-digit code your authenticator app shows now.",
        "unverified_email": (
            "Confirm your email address before you set up two-factor authentication: "
            "follow the link in the email we sent you."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not second_factor_required(authenticator.user)


# -- recovery: a centre manager resets the second factor of one of their centre's people ------


def second_factor_reset_blocker(*, membership: Membership, reset_by) -> str:
    """Why `reset_by` (a centre manager at the membership's centre) may not reset this person's
    second factor ("" when they may). A centre resets only an account that is wholly its own:
    not platform staff, nothing at another centre or register, no role here the manager could
    not grant. Others ask the platform team."""
    user, centre = membership.user, membership.centre
    name = user.get_full_name()
    ask = "Ask the platform team to reset it."
    if user.pk == reset_by.pk:
        return "You cannot reset your own two-factor authentication. Ask another centre manager or the platform team."
    # The account-ownership rule (centres.ownership): only an account wholly this centre's,
    # and the same words for platform staff and accounts used elsewhere (where is not said).
    if user.is_staff or user.is_superuser or accounts_used_elsewhere(user_ids=[user.pk], centre=centre):
        return f"{name}'s account is not only this centre's, so only the platform team can reset it. {ask}"
    held = active_roles(user=user, centre=centre)
    if held - grantable_roles(active_roles(user=reset_by, centre=centre), is_platform_staff=reset_by.is_staff):
        return f"{name} holds a role you cannot grant. {ask}"
    if not user_has_second_factor(user):
        return f"{name} has not set up two-factor authentication."
    return ""


def membership_second_factor_reset(*, membership: Membership, reset_by, request=None) -> int:
    """Delete the person's authenticators so they set one up again at their next login
    (audited by the `second_factor_reset` receiver). Returns how many were deleted."""

    blocker = second_factor_reset_blocker(membership=membership, reset_by=reset_by)
    if blocker:
        raise CentreServiceError(blocker)
    return user_second_factor_reset(
        user=membership.user,
        reset_by=reset_by,
        request=request,
        reason=f"reset by a centre manager at {membership.centre.name}",
        centre=membership.centre,
    )
