"""Reads for the delegate list and record pages (C6, C7), and what keeps a record in use."""

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import router
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Lower

from centres.models import Centre, Membership, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission

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
