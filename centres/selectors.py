"""Reads about centres, memberships and roles."""

from dataclasses import dataclass

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import router
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Lower

from centres.models import Centre, Membership, RoleAssignment, SupportTicket
from centres.notification_rules import roles_for_kind
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from notifications.models import NotificationKind, NotificationSubscription


@dataclass(frozen=True)
class CentreChoice:
    centre: Centre
    status: str  # "active", "unapproved", "inactive"
    delegate_number: str
    roles: tuple[Role, ...]

    @property
    def can_choose(self) -> bool:
        return self.status == "active"


def active_roles(*, user, centre: Centre) -> set[Role]:
    if not user.is_authenticated or centre is None:
        return set()
    return {
        Role(value)
        for value in RoleAssignment.objects.for_centre(centre)
        .filter(user=user, revoked_at__isnull=True)
        .values_list("role", flat=True)
    }


def centre_choices_for_user(*, user) -> list[CentreChoice]:
    """Every centre where the person has a delegate record or an active role (two queries)."""
    memberships = {m.centre_id: m for m in Membership.objects.filter(user=user).select_related("centre")}
    roles_by_centre: dict[int, list[Role]] = {}
    centres: dict[int, Centre] = {m.centre_id: m.centre for m in memberships.values()}
    for grant in RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("centre"):
        roles_by_centre.setdefault(grant.centre_id, []).append(Role(grant.role))
        centres.setdefault(grant.centre_id, grant.centre)
    choices = []
    for centre_id, centre in centres.items():
        membership = memberships.get(centre_id)
        if not centre.is_active:
            status = "inactive"
        elif membership is None:
            status = "active"  # a role without a delegate record (e.g. granted by platform staff)
        else:
            status = membership.status
        choices.append(
            CentreChoice(
                centre=centre,
                status=status,
                delegate_number=membership.delegate_number if membership else "",
                roles=tuple(sorted(roles_by_centre.get(centre_id, []))),
            )
        )
    return sorted(choices, key=lambda choice: choice.centre.name)


def usable_centre(*, user, centre_id: int) -> Centre | None:
    """The middleware's per-request check (one query): the centre, if the person still holds
    an approved active membership or an active role there."""
    # EXISTS, not a join + DISTINCT: the join read every membership of the centre (0.8 s per
    # request at a centre of 50,000 delegates); each EXISTS is one index lookup.
    membership = Membership.objects.filter(centre=OuterRef("pk"), user=user, is_active=True, is_approved=True)
    role = RoleAssignment.objects.filter(centre=OuterRef("pk"), user=user, revoked_at__isnull=True)
    return Centre.objects.filter(Exists(membership) | Exists(role), pk=centre_id, is_active=True).first()


def locked_memberships(*, centre: Centre):
    """People at the centre whose accounts are locked (C9), longest locked first."""
    return (
        Membership.objects.for_centre(centre)
        .filter(user__locked_at__isnull=False)
        .select_related("user")
        .order_by("user__locked_at")
    )


def membership_registered_in_session(*, public_id: str | None) -> Membership | None:
    """The registration this browser just made (its id is kept in the session, never taken
    from the URL), for the confirmation page."""
    if not public_id:
        return None
    return Membership.objects.select_related("centre", "user").filter(public_id=public_id).first()


def role_holders(*, centre: Centre) -> list[dict]:
    """Everyone with an active role at the centre, their roles grouped (two queries)."""
    grants = (
        RoleAssignment.objects.for_centre(centre)
        .filter(revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    numbers = dict(
        Membership.objects.for_centre(centre)
        .filter(user__in=grants.values("user"))
        .values_list("user_id", "delegate_number")
    )
    people: dict[int, dict] = {}
    for grant in grants:
        person = people.setdefault(
            grant.user_id, {"user": grant.user, "delegate_number": numbers.get(grant.user_id, ""), "grants": []}
        )
        person["grants"].append(grant)
    return list(people.values())


def membership_find(*, centre: Centre, email_or_number: str) -> Membership | None:
    value = email_or_number.strip()
    memberships = Membership.objects.for_centre(centre).select_related("user")
    if "@" in value:
        return memberships.filter(user__email__iexact=value).first()
    return memberships.filter(delegate_number__iexact=value).first()


def contact_email(*, user, centre: Centre) -> str:
    """Where emails about `centre` go for `user`: their centre email there, else their login."""
    centre_email = (
        Membership.objects.for_centre(centre).filter(user=user).values_list("centre_email", flat=True).first()
    )
    return centre_email or user.email


def _eligible_subscriptions(subscriptions, kind: NotificationKind | str):
    """Subscriptions whose person still holds a role allowing `kind` at the subscription's
    centre, is an active user, and has no inactive or unapproved delegate record there."""
    permitting_role = RoleAssignment.objects.filter(
        user=OuterRef("user"),
        centre=OuterRef("centre"),
        revoked_at__isnull=True,
        role__in=[role.value for role in roles_for_kind(kind)],
    )
    unusable_membership = Membership.objects.filter(user=OuterRef("user"), centre=OuterRef("centre")).filter(
        Q(is_active=False) | Q(is_approved=False)
    )
    centre_email = Membership.objects.filter(user=OuterRef("user"), centre=OuterRef("centre")).values("centre_email")
    return (
        subscriptions.filter(kind=kind, user__is_active=True, centre__is_active=True)
        .filter(Exists(permitting_role))
        .exclude(Exists(unusable_membership))
        .annotate(centre_email=Subquery(centre_email[:1]))
        .values_list("user__email", "centre_email")
    )


def _addresses(rows) -> list[str]:
    return sorted({(centre_email or email).strip().lower() for email, centre_email in rows})


def subscribers(centre: Centre, kind: NotificationKind | str) -> list[str]:
    """C11: the email addresses of people at `centre` who subscribed to `kind` and still hold
    a role that may receive it (their centre email when they gave one). Sorted, no repeats."""
    return _addresses(_eligible_subscriptions(NotificationSubscription.objects.for_centre(centre), kind))


def subscribers_at_every_centre(kind: NotificationKind | str) -> list[str]:
    """`subscribers` over every active centre, each address once (system notices, C14)."""
    return _addresses(_eligible_subscriptions(NotificationSubscription.objects.all(), kind))


def subscribed_kinds(*, user, centre: Centre) -> set[str]:
    return set(NotificationSubscription.objects.for_centre(centre).filter(user=user).values_list("kind", flat=True))


def support_tickets_for_centre(*, centre: Centre):
    return SupportTicket.objects.for_centre(centre).select_related("raised_by").order_by("-updated_at")


def support_tickets_for_platform(*, status: str | None = None):
    """C13: every centre's tickets, for platform staff only (the views check is_staff)."""
    tickets = SupportTicket.objects.select_related("centre", "raised_by").order_by("-updated_at")
    if status:
        tickets = tickets.filter(status=status)
    return tickets


def support_ticket_counts_for_platform() -> dict[str, int]:
    """How many tickets are in each status, across every centre (one query)."""
    counts = dict.fromkeys(SupportTicket.Status.values, 0)
    for row in SupportTicket.objects.values("status").annotate(total=Count("pk")).order_by():
        counts[row["status"]] = row["total"]
    return counts


def support_ticket_for_platform(*, public_id) -> SupportTicket | None:
    return SupportTicket.objects.select_related("centre", "raised_by").filter(public_id=public_id).first()


# -- Delegates (C6, C7) --------------------------------------------------------------------------

# "Admin" in the delegate list: holds a role that may manage delegates (administrator, centre
# manager), read from the role table rather than named here.
ADMIN_ROLES = tuple(
    sorted(role.value for role, perms in ROLE_PERMISSIONS.items() if Permission.MANAGE_DELEGATES in perms)
)


def _delegate_flags(centre: Centre) -> dict:
    """`is_admin` and `password_set`, worked out by the database (never a query per row)."""
    admin_grants = RoleAssignment.objects.for_centre(centre).filter(
        user=OuterRef("user"), revoked_at__isnull=True, role__in=ADMIN_ROLES
    )
    unusable = Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(user__password="")
    return {
        "is_admin": Exists(admin_grants),
        "password_set": Case(When(unusable, then=Value(False)), default=Value(True), output_field=BooleanField()),
    }


def delegates_annotated(*, centre: Centre):
    """The centre's delegate records with the user and job group joined and two flags worked
    out by the database: `is_admin` and `password_set` (never a query per row)."""
    return Membership.objects.for_centre(centre).select_related("user", "job_group").annotate(**_delegate_flags(centre))


def _delegates_filtered(delegates, *, centre: Centre, filters: dict):
    """`delegates` narrowed by `DelegateFilterForm.filters()`; the flags are added (as aliases)
    only when a filter needs them, so a count joins the users only for a search or the
    password filter."""
    flags = _delegate_flags(centre)
    for word in (filters.get("q") or "").split()[:5]:
        delegates = delegates.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(centre_email__icontains=word)
            | Q(delegate_number__icontains=word)
        )
    yes_no = {"yes": True, "no": False}
    if filters.get("active"):
        delegates = delegates.filter(is_active=filters["active"] == "active")
    if filters.get("approved") in yes_no:
        delegates = delegates.filter(is_approved=yes_no[filters["approved"]])
    password_set = {"set": True, "not_set": False}.get(filters.get("password", ""))
    if password_set is not None:
        if "password_set" not in delegates.query.annotations:
            delegates = delegates.alias(password_set=flags["password_set"])
        delegates = delegates.filter(password_set=password_set)
    if filters.get("admin") in yes_no:
        if "is_admin" not in delegates.query.annotations:
            delegates = delegates.alias(is_admin=flags["is_admin"])
        delegates = delegates.filter(is_admin=yes_no[filters["admin"]])
    if filters.get("job_group"):
        delegates = delegates.filter(job_group_id=filters["job_group"])
    if filters.get("registration_type"):
        delegates = delegates.filter(registration_type=filters["registration_type"])
    for position in range(1, 7):
        answer = filters.get(f"answer{position}")
        if answer:
            delegates = delegates.filter(**{f"answer{position}": answer})
    return delegates


def delegate_search(*, centre: Centre, filters: dict):
    """C6: search, filters and sort of `DelegateFilterForm.filters()`. One query."""
    delegates = _delegates_filtered(delegates_annotated(centre=centre), centre=centre, filters=filters)
    delegates = delegates.annotate(sort_last_name=Lower("user__last_name"), sort_first_name=Lower("user__first_name"))
    keys, descending = delegate_sort_keys(filters)
    return delegates.order_by(*(f"-{key}" if descending else key for key in keys))


def delegate_count(*, centre: Centre, filters: dict) -> int:
    """How many delegate records match: a count of the centre's memberships, joined to the
    users only when a search or the password filter needs them (ADR 0022: the count over the
    join cost more than the page at 50,000 delegates)."""
    return _delegates_filtered(Membership.objects.for_centre(centre), centre=centre, filters=filters).count()


def delegate_sort_keys(filters: dict) -> tuple[list[str], bool]:
    """The delegate list's sort as (keys, descending) for `centres.paging.KeysetPaginator`
    (`sort_*` are `delegate_search`'s annotations): each ends in a unique column and has an
    index to walk (ADR 0022): accounts_user (lower(last_name), lower(first_name), id), the
    membership's user_id being the same column through the join; centres_membership
    (centre, created_at, id)."""
    if filters.get("sort") == "registered":
        return ["created_at", "pk"], True
    return ["sort_last_name", "sort_first_name", "user_id"], False


def delegate_for_centre(*, centre: Centre, public_id) -> Membership | None:
    return delegates_annotated(centre=centre).filter(public_id=public_id).first()


# Rows that belong to a delegate record itself and go with it; anything else that refers to
# the record (an enrolment, a staff list entry, whatever a new app adds) means it is in use.
RECORD_OWN_MODELS = frozenset({"centres.welcomelink"})


def record_references(obj, *, own=frozenset()) -> dict[type, int]:
    """Everything in the database that refers to `obj`, found from the model relations (the
    same collector the admin's delete page uses, following cascades and counting protected
    rows), as {model: count}; models labelled in `own` are left out."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    found: dict[type, int] = {}
    rows = [(model, len(instances)) for model, instances in collector.data.items()]
    rows += [(type(item), 1) for item in collector.protected]
    for model, count in rows:
        if model._meta.label_lower in own or model is type(obj):
            continue
        found[model] = found.get(model, 0) + count
    return found


def delegate_deletion_blocker(*, membership: Membership) -> str:
    """Why this delegate record may not be deleted ("" when it may): only records nobody has
    used (never logged in, no password, no role, and nothing refers to the record: an
    enrolment, a staff list entry, ...) are deleted; the rest are deactivated (C7)."""
    name = membership.user.get_full_name()
    if membership.user.last_login is not None:
        return f"{name} has logged in, so their record is kept. Deactivate it instead."
    if membership.user.has_usable_password():
        return f"{name} has set a password, so their record is kept. Deactivate it instead."
    if RoleAssignment.objects.for_centre(membership.centre).filter(user=membership.user).exists():
        return f"{name} has been given a role at this centre, so their record is kept. Deactivate it instead."
    used_by = record_references(membership, own=RECORD_OWN_MODELS)
    if used_by:
        listed = ", ".join(
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in sorted(used_by.items(), key=lambda item: item[0]._meta.label)
        )
        return f"{name}'s record is in use ({listed}), so it is kept. Deactivate it instead."
    return ""


def delegates_exist(*, centre: Centre) -> bool:
    return Membership.objects.for_centre(centre).exists()


def centres_for_platform(*, search: str = ""):
    """Platform staff's list of every centre (the views check is_staff), by name, with how
    many centre managers each has (one query per page)."""
    centres = Centre.objects.annotate(
        manager_count=Count(
            "role_assignments__user",
            filter=Q(role_assignments__role=Role.CENTRE_MANAGER, role_assignments__revoked_at__isnull=True),
            distinct=True,
        )
    ).order_by("name")
    for word in search.split():
        centres = centres.filter(Q(name__icontains=word) | Q(code__icontains=word))
    return centres


def centre_for_platform(*, public_id) -> Centre | None:
    return Centre.objects.filter(public_id=public_id).first()


def centre_managers(*, centre: Centre) -> list:
    """The people who are centre managers of `centre` now, by name."""
    return [
        grant.user
        for grant in RoleAssignment.objects.for_centre(centre)
        .filter(role=Role.CENTRE_MANAGER, revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ]
