"""Words for the register's audit actions on a centre's audit trail (registered with
centres.audit.audit_labels_register from ReferralsConfig.ready(); ADR 0044). The register's
own audit page keeps its shorter words (selectors.administration.AUDIT_ACTIONS)."""

REFERRALS_AUDIT_LABELS = {
    "referral.viewed": "Referral viewed",
    "referral.created": "Referral added",
    "referral.updated": "Referral updated",
    "referral.note_added": "Note added to a referral",
    "referral.outcome_recorded": "Referral outcome recorded",
    "referral.archived": "Referral archived",
    "referral.refused": "Referral refused (not theirs to open)",
    "referral.report_requested": "Referral report requested",
    "referral.report_downloaded": "Referral report downloaded",
    "referral.report_download_refused": "Referral report download refused (access no longer held)",
    "register.login": "Logged in to the register",
    "register.login_failed": "Register login failed",
    "register.signup": "Signed up to the register",
    "register.signup_accepted": "Register join link accepted",
    "register.user_added": "Register user added",
    "register.user_changed": "Register user changed",
    "register.user_removed": "Register user removed",
    "register.configured": "Register settings changed",
    "register.audit_exported": "Register audit exported",
    "register.report_downloaded": "Register audit export downloaded",
    "register.report_download_refused": "Register audit export download refused (access no longer held)",
}
