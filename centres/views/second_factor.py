"""Recovery of a lost second factor (ADR 0018): a centre manager resets it for one of their
centre's people, who then set it up again at their next login."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from centres.models import Membership
from centres.permissions import permission_required
from centres.roles import Permission
from centres.second_factor import membership_second_factor_reset, second_factor_reset_blocker
from centres.services.errors import CentreServiceError


@permission_required(Permission.UNLOCK_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def second_factor_reset(request, membership_id):
    membership = get_object_or_404(
        Membership.objects.for_centre(request.centre).select_related("user", "centre"), public_id=membership_id
    )
    if request.method == "POST":
        try:
            membership_second_factor_reset(membership=membership, reset_by=request.user, request=request)
        except CentreServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{membership.user.get_full_name()}'s two-factor authentication is reset. "
                "They set it up again when they next log in.",
            )
            return redirect("centres:delegate_detail", membership_id=membership.public_id)
    blocker = second_factor_reset_blocker(membership=membership, reset_by=request.user)
    return render(request, "centres/second_factor_reset.html", {"membership": membership, "blocker": blocker})
