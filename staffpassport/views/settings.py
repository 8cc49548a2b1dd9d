"""S1 settings home, S2 organisation details, S3 team notifications, S4 automatic issuance."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.fields import yes_no_initial
from staffpassport.access import settings_required
from staffpassport.forms import TeamEmailForm, TeamSendingForm, contact_detail_form
from staffpassport.models import OrganisationContact, Team
from staffpassport.presenters import auto_issuance_sections
from staffpassport.selectors.catalogue import auto_issuance_map, categories_with_credentials
from staffpassport.selectors.settings import contacts_for, team_notification_for, team_notifications_for
from staffpassport.services.auto_issuance import auto_issuance_save
from staffpassport.services.organisation import (
    CONTACT_DETAILS,
    contact_detail_update,
    team_notification_email_update,
    team_notification_sending_set,
)
from staffpassport.views.common import form_page, service_apply

ORGANISATION = "staffpassport:organisation"
NOTIFICATIONS = "staffpassport:notifications"
AUTO_ISSUANCE = "staffpassport:auto_issuance"


@settings_required
@require_GET
def home(request):
    return render(request, "staffpassport/settings/home.html")


@settings_required
@require_GET
def organisation(request):
    contacts = contacts_for(centre=request.centre)
    return render(
        request,
        "staffpassport/settings/organisation.html",
        {
            "individuals": [contact for contact in contacts if contact.is_individual],
            "teams": [contact for contact in contacts if not contact.is_individual],
        },
    )


@settings_required
@require_http_methods(["GET", "POST"])
def contact_change(request, contact: str, detail: str):
    if contact not in OrganisationContact.Kind.values or detail not in CONTACT_DETAILS:
        raise Http404
    label = OrganisationContact.Kind(contact).label
    current = next(item for item in contacts_for(centre=request.centre) if item.kind == contact)
    form = contact_detail_form(
        contact_label=label,
        detail=detail,
        data=request.POST if request.method == "POST" else None,
        initial={"value": getattr(current, detail)},
    )
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"] or ""
        done = service_apply(
            form,
            lambda: contact_detail_update(
                centre=request.centre,
                kind=contact,
                detail=detail,
                value=value,
                changed_by=request.user,
                request=request,
            ),
            field="value",
        )
        if done:
            messages.success(request, f"{label} {CONTACT_DETAILS[detail].lower()} changed successfully")
            return redirect(ORGANISATION)
    return form_page(
        request,
        "staffpassport/settings/contact_change.html",
        {"form": form, "contact_label": label, "detail_label": CONTACT_DETAILS[detail]},
    )


@settings_required
@require_GET
def notifications(request):
    return render(
        request,
        "staffpassport/settings/notifications.html",
        {"settings": team_notifications_for(centre=request.centre)},
    )


def _team_or_404(team: str) -> Team:
    if team not in Team.values:
        raise Http404
    return Team(team)


@settings_required
@require_http_methods(["GET", "POST"])
def team_email(request, team: str):
    team = _team_or_404(team)
    setting = team_notification_for(centre=request.centre, team=team)
    form = TeamEmailForm(request.POST or None, initial={"team_email": setting.email}, team_label=team.label)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["team_email"] or ""
        done = service_apply(
            form,
            lambda: team_notification_email_update(
                centre=request.centre, team=team, email=email, changed_by=request.user, request=request
            ),
            field="team_email",
        )
        if done:
            messages.success(request, f"{team.label} team email address changed successfully")
            return redirect(NOTIFICATIONS)
    return form_page(
        request,
        "staffpassport/settings/team_email.html",
        {"form": form, "team": team, "team_sending_on": setting.send_emails},
    )


@settings_required
@require_http_methods(["GET", "POST"])
def team_sending(request, team: str):
    team = _team_or_404(team)
    setting = team_notification_for(centre=request.centre, team=team)
    form = TeamSendingForm(request.POST or None, initial={"send_emails": yes_no_initial(setting.send_emails)})
    if request.method == "POST" and form.is_valid():
        send = form.cleaned_data["send_emails"] == "yes"
        done = service_apply(
            form,
            lambda: team_notification_sending_set(
                centre=request.centre, team=team, send_emails=send, changed_by=request.user, request=request
            ),
            field="send_emails",
        )
        if done:
            state = "turned on" if send else "turned off"
            messages.success(request, f"{team.label} weekly summary email notifications {state}")
            return redirect(NOTIFICATIONS)
    return form_page(
        request, "staffpassport/settings/team_sending.html", {"form": form, "team": team, "setting": setting}
    )


@settings_required
@require_http_methods(["GET", "POST"])
def auto_issuance(request):
    """The boxes work without JavaScript: a category's button ticks or unticks its boxes on the
    page (nothing is saved); Continue saves every box."""
    categories = categories_with_credentials()
    by_code = {credential.code: credential for category in categories for credential in category.credentials.all()}
    unsaved = False
    if request.method == "POST":
        ticked = {by_code[code].pk for code in request.POST.getlist("automatic") if code in by_code}
        toggle = request.POST.get("toggle")
        category = next((item for item in categories if item.code == toggle), None)
        if category is not None:
            ids = {credential.pk for credential in category.credentials.all()}
            ticked = ticked - ids if ids <= ticked else ticked | ids
            unsaved = True
        else:
            auto_issuance_save(centre=request.centre, automatic_ids=ticked, changed_by=request.user, request=request)
            messages.success(request, "All settings were saved")
            return redirect(AUTO_ISSUANCE)
    else:
        stored = auto_issuance_map(centre=request.centre)
        ticked = {pk for pk, automatic in stored.items() if automatic}
    return render(
        request,
        "staffpassport/settings/auto_issuance.html",
        {
            "sections": auto_issuance_sections(categories, ticked),
            "unsaved": unsaved,
            "toggled": request.POST.get("toggle") if unsaved else None,
        },
    )
