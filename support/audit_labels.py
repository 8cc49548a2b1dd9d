"""Words for the support ticket audit actions on the centre's audit trail (registered with
centres.audit.audit_labels_register from SupportConfig.ready(); ADR 0044)."""

SUPPORT_AUDIT_LABELS = {
    "support.ticket_raised": "Support ticket raised",
    "support.ticket_replied": "Support ticket reply",
    "support.ticket_answered": "Support ticket answered",
    "support.ticket_closed": "Support ticket closed",
}
