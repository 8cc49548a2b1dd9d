"""Words for the staff passport audit actions on the centre's audit trail (registered with
centres.audit.audit_labels_register from StaffpassportConfig.ready(); ADR 0044)."""

STAFFPASSPORT_AUDIT_LABELS = {
    "staffpassport.contact_changed": "Organisation contact changed",
    "staffpassport.team_notification_changed": "Team notification settings changed",
    "staffpassport.auto_issuance_changed": "Automatic issuance settings changed",
    "staffpassport.template_created": "Credentials required template created",
    "staffpassport.template_changed": "Credentials required template changed",
    "staffpassport.template_deleted": "Credentials required template deleted",
    "staffpassport.job_role_created": "Job role created",
    "staffpassport.job_role_renamed": "Job role renamed",
    "staffpassport.job_role_deleted": "Job role deleted",
    "staffpassport.esr_imported": "ESR feed imported",
    "staffpassport.credential_issued": "Credential issued",
    "staffpassport.credential_rejected": "Credential rejected",
    "staffpassport.credentials_required_completed": "Credentials required completed",
    "staffpassport.credentials_required_bypassed": "Credentials required bypassed",
    "staffpassport.vc_downloaded": "Verifiable credential downloaded",
    "staffpassport.vc_key_created": "Credential signing key created",
    "staffpassport.vc_key_rotated": "Credential signing key rotated",
}
