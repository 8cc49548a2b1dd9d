"""Roles and permissions: the one place that says who may do what (DESIGN.md role table).

Views and services never compare role names; they ask for a `Permission` on the centre: views
through the request's `CentreAccess` (`centres.permissions`, `core.decorators`), services
through `user.has_perm(Permission.X, centre)`. Both compute it from the person's active role
assignments with `ROLE_PERMISSIONS` (ADR 0027).
"""

from enum import StrEnum


class Role(StrEnum):
    ASSESSOR = "assessor"
    EDUCATOR = "educator"
    ADMINISTRATOR = "administrator"
    CENTRE_MANAGER = "centre_manager"
    AUTHORISER = "authoriser"
    SENIOR_PORTAL_ADMIN = "senior_portal_admin"
    REFERRER = "referrer"
    DSR_REPORTING = "dsr_reporting"
    DSR_ADMIN = "dsr_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ASSESSOR: "Assessor",
    Role.EDUCATOR: "Educator / manager",
    Role.ADMINISTRATOR: "Administrator",
    Role.CENTRE_MANAGER: "Centre manager",
    Role.AUTHORISER: "Authoriser",
    Role.SENIOR_PORTAL_ADMIN: "Senior portal administrator",
    Role.REFERRER: "Referrer",
    Role.DSR_REPORTING: "DSR reporting user",
    Role.DSR_ADMIN: "DSR administrator",
}


class Permission(StrEnum):
    """Permissions on a `Centre`. The value is what `user.has_perm` and `CentreAccess.has` take."""

    ASSESS = "centres.assess_learners"
    SUPERVISE = "centres.supervise_learners"
    SIGN_OFF = "centres.sign_off_passports"
    NOMINATE_ASSESSORS = "centres.nominate_assessors"
    VIEW_PRN = "centres.view_prn"
    MANAGE_DELEGATES = "centres.manage_delegates"
    CONFIGURE_CENTRE = "centres.configure_centre"
    VIEW_REPORTS = "centres.view_reports"
    VIEW_AUDIT = "centres.view_audit"
    UNLOCK_ACCOUNTS = "centres.unlock_accounts"
    GRANT_ROLES = "centres.grant_roles"
    INVITE_STAFF = "centres.invite_staff"
    MANAGE_STAFF_PASSPORT = "centres.manage_staff_passport"
    REFER = "centres.refer"
    REPORT_REFERRALS = "centres.report_referrals"
    ADMINISTER_REGISTER = "centres.administer_register"

    @property
    def codename(self) -> str:
        return self.value.split(".", 1)[1]


PERMISSION_LABELS = {
    Permission.ASSESS: "Confirm or reject proficiencies of learners who chose them",
    Permission.SUPERVISE: "Staff list, enrolment and confirmation",
    Permission.SIGN_OFF: "Sign off passports",
    Permission.NOMINATE_ASSESSORS: "Nominate assessors",
    Permission.VIEW_PRN: "See professional registration numbers",
    Permission.MANAGE_DELEGATES: "Register, approve, upload, edit and deactivate delegates",
    Permission.CONFIGURE_CENTRE: "Change centre configuration",
    Permission.VIEW_REPORTS: "Download centre reports",
    Permission.VIEW_AUDIT: "Read and export the centre audit trail",
    Permission.UNLOCK_ACCOUNTS: "Unlock locked accounts",
    Permission.GRANT_ROLES: "Grant and revoke every role",
    Permission.INVITE_STAFF: "Invite and manage care record site staff",
    Permission.MANAGE_STAFF_PASSPORT: "Change staff passport settings",
    Permission.REFER: "Add referrals and update their own",
    Permission.REPORT_REFERRALS: "View and report on referrals",
    Permission.ADMINISTER_REGISTER: "Outcomes, archive, form configuration and register users",
}

_ADMINISTRATOR = {
    Permission.MANAGE_DELEGATES,
    Permission.CONFIGURE_CENTRE,
    Permission.VIEW_REPORTS,
    Permission.VIEW_AUDIT,
    Permission.VIEW_PRN,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ASSESSOR: frozenset({Permission.ASSESS}),
    Role.EDUCATOR: frozenset(
        {
            Permission.ASSESS,
            Permission.SUPERVISE,
            Permission.SIGN_OFF,
            Permission.NOMINATE_ASSESSORS,
            Permission.VIEW_PRN,
        }
    ),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
    Role.CENTRE_MANAGER: frozenset(_ADMINISTRATOR | {Permission.GRANT_ROLES, Permission.UNLOCK_ACCOUNTS}),
    Role.AUTHORISER: frozenset({Permission.INVITE_STAFF}),
    Role.SENIOR_PORTAL_ADMIN: frozenset({Permission.MANAGE_STAFF_PASSPORT}),
    Role.REFERRER: frozenset({Permission.REFER}),
    Role.DSR_REPORTING: frozenset({Permission.REPORT_REFERRALS}),
    Role.DSR_ADMIN: frozenset({Permission.REFER, Permission.REPORT_REFERRALS, Permission.ADMINISTER_REGISTER}),
}

# The roles of a centre (granted by its centre managers) and the roles of a dynamic support
# register (granted only by the register's administrators and platform staff, never by a
# centre manager: ADR 0016). Every role is one or the other.
CENTRE_ROLES = frozenset(
    {
        Role.ASSESSOR,
        Role.EDUCATOR,
        Role.ADMINISTRATOR,
        Role.CENTRE_MANAGER,
        Role.AUTHORISER,
        Role.SENIOR_PORTAL_ADMIN,
    }
)
REGISTER_ROLES = frozenset({Role.REFERRER, Role.DSR_REPORTING, Role.DSR_ADMIN})

# Which roles a holder of each role may grant (and revoke), before the rules about whom and
# where (`centres.grants.grant_refusal`, the one check every grant and revoke goes through).
# A DSR administrator's grants reach only their register's organisations they may act on.
GRANTABLE_BY: dict[Role, frozenset[Role]] = {
    Role.CENTRE_MANAGER: CENTRE_ROLES,
    Role.EDUCATOR: frozenset({Role.ASSESSOR}),
    Role.DSR_ADMIN: REGISTER_ROLES,
}
# Platform staff name centre managers, authorisers and senior portal administrators (the
# people who then grant the rest) and may grant register roles.
PLATFORM_STAFF_GRANTS = frozenset({Role.CENTRE_MANAGER, Role.AUTHORISER, Role.SENIOR_PORTAL_ADMIN}) | REGISTER_ROLES


def grantable_roles(held_roles: set[Role], *, is_platform_staff: bool = False) -> frozenset[Role]:
    """The roles a person holding `held_roles` at a place may grant there (the table only)."""
    granted: set[Role] = set(PLATFORM_STAFF_GRANTS) if is_platform_staff else set()
    for role in held_roles:
        granted |= GRANTABLE_BY.get(role, frozenset())
    return frozenset(granted)
