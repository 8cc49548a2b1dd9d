"""Turn memberships and roles into what pages show: labels and status tags."""

from centres.roles import Role

STATUS_TAGS = {
    "active": {"text": "Active", "classes": "nhsuk-tag--green"},
    "unapproved": {"text": "Awaiting approval", "classes": "nhsuk-tag--yellow"},
    "inactive": {"text": "Inactive", "classes": "nhsuk-tag--grey"},
}


def status_tag(status: str) -> dict:
    return STATUS_TAGS[status]


# Labels of the actions centres records (and those of the layers below it: accounts,
# notifications, reporting); registered from CentresConfig.ready(). Feature apps register
# their own (centres.audit.audit_labels_register).
AUDIT_ACTION_LABELS = {
    "account.login": "Logged in",
    "account.locked": "Account locked",
    "account.unlocked": "Account unlocked",
    "account.login_failed": "Failed login",
    "account.nhsmail_linked": "NHSmail sign-in linked",
    "account.second_factor_added": "Two-factor authentication set up",
    "account.second_factor_removed": "Two-factor authentication turned off",
    "account.second_factor_reset": "Two-factor authentication reset",
    "account.second_factor_failed": "Wrong two-factor code",
    "account.recovery_codes_generated": "New recovery codes",
    "centre.created": "Centre created",
    "centre.chosen": "Chose centre",
    "membership.created": "Delegate registered",
    "role.granted": "Role granted",
    "role.revoked": "Role revoked",
    "account.details_changed": "Changed own details",
    "notifications.preferences_changed": "Notification preferences changed",
}


def role_labels(roles) -> list[str]:
    return [Role(role).label for role in sorted(roles)]


def notice_status_tag(notice, *, now) -> dict:
    """Draft, Showing, or Ended (expired or withdrawn)."""
    if notice.published_at is None:
        return {"text": "Draft", "classes": "nhsuk-tag--grey"}
    if notice.expires_at is not None and notice.expires_at <= now:
        return {"text": "Ended", "classes": "nhsuk-tag--grey"}
    return {"text": "Showing", "classes": "nhsuk-tag--green"}


# -- Delegates (C6, C7) --------------------------------------------------------------------------

AUDIT_ACTION_LABELS |= {
    "membership.updated": "Delegate details changed",
    "membership.deactivated": "Delegate deactivated",
    "membership.reactivated": "Delegate reactivated",
    "membership.deleted": "Unused delegate record deleted",
    "delegates.exported": "Delegate list downloaded",
    "reporting.report_downloaded": "Report downloaded",
    "reporting.report_download_refused": "Report download refused (access no longer held)",
    "account.email_changed": "Account email changed",
    "account.password_reset": "Password reset or changed",
    "admin.added": "Platform admin: added",
    "admin.changed": "Platform admin: changed",
    "admin.deleted": "Platform admin: deleted",
    "admin.password_reset_sent": "Platform admin: password reset link sent",
    "centre.changed": "Centre details changed by platform staff",
    "centre.notify_email_changed": "Notify email address changed",
    "centre.public_details_changed": "Find your centre details changed",
    "centre.support_details_changed": "Centre support details changed",
    "delegates.bulk_downloaded": "Bulk upload template downloaded",
    "delegates.bulk_uploaded": "Delegates bulk uploaded",
    "registration.approved": "Registration approved",
    "registration.existing_account": "Registration matched an existing account",
    "registration.rejected": "Registration rejected",
    "registration_prompt.added": "Registration prompt added",
    "registration_prompt.changed": "Registration prompt changed",
    "registration_prompt.removed": "Registration prompt removed",
    "welcome.sent": "Welcome email sent",
    "welcome.used": "Welcome link used to set a password",
    "notice.created": "System notice created",
    "notice.published": "System notice published",
    "notice.withdrawn": "System notice withdrawn",
}


def delegate_tags(membership) -> list[dict]:
    """Status tags on a delegate card: Active/Inactive (or Awaiting approval), Password set or
    not, Self-registered, Admin. `membership` comes from `selectors.delegates_annotated`."""
    tags = [status_tag(membership.status)]
    if membership.password_set:
        tags.append({"text": "Password set", "classes": "nhsuk-tag--blue"})
    else:
        tags.append({"text": "No password yet", "classes": "nhsuk-tag--white"})
    if membership.registration_type == "self":
        tags.append({"text": "Self-registered", "classes": "nhsuk-tag--purple"})
    if membership.is_admin:
        tags.append({"text": "Admin", "classes": "nhsuk-tag--orange"})
    return tags


def delegate_card(membership) -> dict:
    user = membership.user
    return {
        "membership": membership,
        "name": user.get_full_name() or user.email,
        "sort_name": f"{user.last_name}, {user.first_name}".strip(", "),
        "tags": delegate_tags(membership),
        "job_group": membership.job_group.name if membership.job_group else "Not recorded",
    }


def delegate_filter_summary(form) -> list[str]:
    """ "Job group: Nursing", ... for the filters in use, in words (for the results heading)."""
    summary = []
    for name, value in form.filters().items():
        if name in {"sort", "q"}:
            continue
        field = form.fields[name]
        label = dict(field.choices).get(value, value)
        summary.append(f"{field.label}: {label}")
    return summary
