"""Promote people to roles and revoke them (C8), within what the viewer may grant."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from centres.forms.roles import FindPersonForm, GrantRoleForm
from centres.grants import GrantAction, grant_refusal, grantable_roles_for
from centres.models import Membership, RoleAssignment
from centres.role_areas import role_unavailable_reason
from centres.roles import Permission, Role, grantable_roles
from centres.selectors.memberships import active_roles
from centres.selectors.roles import FIND_LIMIT, membership_find, memberships_search, role_holders
from centres.services.errors import CentreServiceError
from centres.services.roles import role_grant, role_revoke
from core.decorators import permission_required
from core.forms import form_add_service_error

MANAGE_ROLES = (Permission.GRANT_ROLES, Permission.NOMINATE_ASSESSORS)


NOBODY_FOUND = "Nobody whose name, email address or delegate number contains that is registered here"


def _grantable(request) -> list[Role]:
    """The roles this person may give here: their table, less roles for areas not built yet or
    not used at this centre (ADR 0048)."""
    held = active_roles(user=request.user, centre=request.centre)
    return [
        role
        for role in grantable_roles(held, is_platform_staff=request.user.is_staff)
        if not role_unavailable_reason(role=role, centre=request.centre)
    ]


@permission_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def roles(request):
    form = FindPersonForm(request.POST if request.method == "POST" else None)
    found = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["person"]
        membership = membership_find(centre=request.centre, email_or_number=text)
        if membership is not None:  # an exact email or delegate number goes straight there
            return redirect("centres:person_roles", membership_id=membership.public_id)
        found = memberships_search(centre=request.centre, text=text)
        if not found:
            form.add_error("person", NOBODY_FOUND)
    context = {
        "found": found[:FIND_LIMIT] if found else found,
        "more_found": bool(found) and len(found) > FIND_LIMIT,
        "form": form,
        "people": role_holders(centre=request.centre),
        "grantable": _grantable(request),
    }
    return render(request, "centres/roles/list.html", context, status=400 if form.errors else 200)


@permission_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def person_roles(request, membership_id):
    membership = get_object_or_404(
        Membership.objects.for_centre(request.centre).select_related("user", "job_group"), public_id=membership_id
    )
    current = list(
        RoleAssignment.objects.for_centre(request.centre)
        .filter(user=membership.user, revoked_at__isnull=True)
        .order_by("role")
    )
    held = {Role(grant.role) for grant in current}
    # What this page offers and which Revoke links it shows come from the same rule the
    # services enforce (a tampered post is refused there too).
    offer = [
        role
        for role in grantable_roles_for(actor=request.user, centre=request.centre, subject=membership.user)
        if role not in held and not role_unavailable_reason(role=role, centre=request.centre)
    ]
    revocable = {
        grant.role
        for grant in current
        if not grant_refusal(
            actor=request.user,
            role=grant.role,
            centre=request.centre,
            subject=membership.user,
            action=GrantAction.REVOKE,
        )
    }
    def why_not(role: Role) -> str:
        if role in held:
            return f"{membership.user.get_full_name()} already has the {role.label} role"
        return role_unavailable_reason(role=role, centre=request.centre) or grant_refusal(
            actor=request.user, role=role, centre=request.centre, subject=membership.user
        )

    form = GrantRoleForm(request.POST if request.method == "POST" else None, roles=offer, why_not=why_not)
    if request.method == "POST" and form.is_valid():
        try:
            role_grant(
                user=membership.user,
                centre=request.centre,
                role=Role(form.cleaned_data["role"]),
                granted_by=request.user,
                request=request,
            )
        except CentreServiceError as error:
            form_add_service_error(form, error, field="role")
        else:
            messages.success(
                request,
                f"{membership.user.get_full_name()} now has the {Role(form.cleaned_data['role']).label} role. "
                "They have been emailed, with a copy to you.",
            )
            return redirect("centres:person_roles", membership_id=membership.public_id)
    context = {
        "membership": membership,
        "current": current,
        "revocable": revocable,
        "form": form,
        "offer": offer,
        "is_self": membership.user_id == request.user.pk,
    }
    return render(request, "centres/roles/person.html", context, status=400 if form.errors else 200)


@permission_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def revoke_role(request, assignment_id):
    assignment = get_object_or_404(
        RoleAssignment.objects.for_centre(request.centre).filter(revoked_at__isnull=True).select_related("user"),
        public_id=assignment_id,
    )
    membership = Membership.objects.for_centre(request.centre).filter(user=assignment.user).first()
    refusal = grant_refusal(
        actor=request.user,
        role=assignment.role,
        centre=request.centre,
        subject=assignment.user,
        action=GrantAction.REVOKE,
    )
    if request.method == "GET" and refusal:
        messages.error(request, refusal)
        if membership is not None:
            return redirect("centres:person_roles", membership_id=membership.public_id)
        return redirect("centres:roles")
    if request.method == "POST":
        try:
            role_revoke(assignment=assignment, revoked_by=request.user, request=request)
        except CentreServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{assignment.user.get_full_name()} is no longer {Role(assignment.role).label.lower()}."
            )
        if membership is not None:
            return redirect("centres:person_roles", membership_id=membership.public_id)
        return redirect("centres:roles")
    context = {"assignment": assignment, "role": Role(assignment.role), "membership": membership}
    return render(request, "centres/roles/revoke.html", context)
