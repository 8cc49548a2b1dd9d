"""C15 help (a section per role, the person's own first) and the C12 job groups reference."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from centres import help_sections
from centres.models import JobGroup
from centres.permissions import centre_required
from centres.selectors.memberships import active_roles


@require_GET
def help_page(request):
    user = request.user
    has_membership = False
    roles = set()
    if user.is_authenticated:
        centre = getattr(request, "centre", None)
        roles = active_roles(user=user, centre=centre) if centre is not None else set()
        has_membership = centre is not None and centre.memberships.filter(user=user).exists()
    yours, others = help_sections.sections_for(
        authenticated=user.is_authenticated,
        roles=roles,
        is_learner=has_membership,
        is_platform_staff=user.is_authenticated and user.is_staff,
    )
    return render(request, "centres/help/help.html", {"yours": yours, "others": others})


@centre_required
@require_GET
def job_groups(request):
    return render(request, "centres/job_groups.html", {"job_groups": JobGroup.objects.order_by("id")})
