"""R9 dashboard and R10 report requests. Who sees which referrals comes from
`request.register_access` (referrals.access); the figures from the dashboard selector."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from centres.roles import Permission
from referrals.access import register_role_required
from referrals.audit import referral_audit
from referrals.forms.reporting import DashboardFilterForm, ReportForm
from referrals.models import Risk
from referrals.reports import REPORT_TYPES, report_request
from referrals.selectors.dashboard import dashboard_figures, referrals_per_month
from submissions.tokens import once_per_submission

REPORTING_ROLES = (Permission.REPORT_REFERRALS, Permission.ADMINISTER_REGISTER)


def _organisation_refused(request, form, what: str) -> None:
    referral_audit(
        access=request.register_access,
        action="referral.refused",
        summary=f"Tried to {what} for organisation {str(form.data.get('organisation'))[:100]!r}, "
        "which is not theirs to report on",
        request=request,
    )


def _dashboard(request, *, report_form: ReportForm | None = None, status: int = 200):
    access = request.register_access
    filter_form = DashboardFilterForm(request.GET, access=access)
    organisation = None
    if filter_form.is_valid():
        organisation = filter_form.chosen_organisation()
    elif filter_form.organisation_refused:
        _organisation_refused(request, filter_form, "see the dashboard")
    if report_form is None:  # the report starts with the organisation the figures are for
        initial = {"organisation": str(organisation.public_id)} if organisation else {}
        report_form = ReportForm(access=access, initial=initial)
    context = {
        "access": access,
        "filter_form": filter_form,
        "organisation": organisation,
        "figures": dashboard_figures(access=access, today=timezone.localdate(), organisation=organisation),
        "per_month": referrals_per_month(access=access, today=timezone.localdate(), organisation=organisation),
        "risks": [risk.label for risk in Risk],
        "report_form": report_form,
        "report_types": REPORT_TYPES,
    }
    return render(request, "referrals/reporting/dashboard.html", context, status=status)


@register_role_required(*REPORTING_ROLES)
@require_GET
def dashboard(request):
    return _dashboard(request)


@register_role_required(*REPORTING_ROLES)
@require_POST
@once_per_submission
def report_create(request):
    access = request.register_access
    form = ReportForm(request.POST, access=access)
    if not form.is_valid():
        if form.organisation_refused:
            _organisation_refused(request, form, "ask for a report")
        return _dashboard(request, report_form=form, status=400)
    job = report_request(
        access=access,
        report=form.report(),
        params=form.params(),
        filter_summary=form.filter_summary(),
        request=request,
    )
    messages.success(request, f"Your {form.report().label} report is being built.")
    return redirect("reporting:job", job_id=job.public_id)
