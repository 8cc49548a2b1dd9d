"""My account (C7) and notification preferences (C11): everyone with a current centre."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from centres.forms.account import AccountDetailsForm
from centres.forms.notifications import NotificationPreferencesForm
from centres.models import Membership, RegistrationPrompt
from centres.notification_rules import KIND_HINTS, kinds_for_roles
from centres.permissions import centre_required
from centres.presenters import role_labels
from centres.selectors.memberships import active_roles
from centres.selectors.notifications import subscribed_kinds
from centres.services.accounts import account_details_update
from centres.services.errors import CentreServiceError
from centres.services.notices import notification_subscriptions_replace


@centre_required
@require_http_methods(["GET", "POST"])
def account_details(request):
    membership = (
        Membership.objects.for_centre(request.centre).filter(user=request.user).select_related("job_group").first()
    )
    prompts = list(RegistrationPrompt.objects.for_centre(request.centre)) if membership else []
    form = AccountDetailsForm(
        request.POST if request.method == "POST" else None,
        membership=membership,
        prompts=prompts,
        initial=AccountDetailsForm.initial_for(user=request.user, membership=membership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = account_details_update(
                user=request.user, centre=request.centre, request=request, **form.service_arguments()
            )
        except CentreServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your details have been saved." if changed else "Nothing needed changing.")
            return redirect("my_account:details")
    context = {"form": form, "membership": membership}
    return render(request, "centres/account/details.html", context, status=400 if form.errors else 200)


@centre_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    roles = active_roles(user=request.user, centre=request.centre)
    kinds = kinds_for_roles(roles)
    allowed = {kind.value for kind in kinds}
    current = subscribed_kinds(user=request.user, centre=request.centre) & allowed
    # With no role here there is nothing to choose, so a POST is read like a GET.
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" and kinds else None, kinds=kinds, initial={"kinds": sorted(current)}
    )
    if form.is_bound and form.is_valid():
        try:
            notification_subscriptions_replace(
                user=request.user, centre=request.centre, kinds=form.cleaned_data["kinds"], request=request
            )
        except CentreServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your notification preferences have been saved.")
            return redirect("my_account:notifications")
    context = {
        "form": form,
        "kinds": [{"kind": kind, "hint": KIND_HINTS[kind]} for kind in kinds],
        "checked": set(form["kinds"].value() or []) if form.is_bound else current,
        "role_names": role_labels(roles),
    }
    return render(request, "centres/account/notifications.html", context, status=400 if form.errors else 200)
