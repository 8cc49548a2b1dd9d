from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Dynamic support registers"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = [
        "referrals.view_register",
        "referrals.add_register",
        "referrals.change_register",
        "referrals.view_registerorganisation",
        "referrals.add_registerorganisation",
        "referrals.change_registerorganisation",
        "referrals.delete_registerorganisation",
        "referrals.view_extraquestion",
        "referrals.add_extraquestion",
        "referrals.change_extraquestion",
    ]

    def ready(self) -> None:
        from centres.audit import audit_labels_register
        from centres.grants import register_authority_set
        from centres.home_sections import home_section_register
        from centres.navigation import navigation_register
        from referrals import signals  # noqa: F401 - login auditing
        from referrals.access import register_report_may_download
        from referrals.audit_labels import REFERRALS_AUDIT_LABELS
        from referrals.grants import register_grant_refusal
        from referrals.home import register_section
        from referrals.navigation import REFERRALS_NAVIGATION
        from referrals.reports import REPORT_TYPES, referral_report_build
        from referrals.services.administration import register_audit_report_build
        from reporting.registry import report_kind_register

        audit_labels_register(REFERRALS_AUDIT_LABELS)
        home_section_register(
            "register", template="referrals/home_section/section.html", build=register_section, order=30
        )
        navigation_register(*REFERRALS_NAVIGATION)
        for report in REPORT_TYPES:
            report_kind_register(
                report.kind,
                referral_report_build,
                may_download=register_report_may_download,
                audit_namespace="referral",
            )
        report_kind_register(
            "register_audit",
            register_audit_report_build,
            may_download=register_report_may_download,
            audit_namespace="register",
        )
        register_authority_set(register_grant_refusal)
        # ADR 0048: register roles only at organisations that belong to a register.
        from centres.role_areas import role_area_register
        from centres.roles import REGISTER_ROLES
        from referrals.grants import in_a_register

        role_area_register(*REGISTER_ROLES, name="the dynamic support register", in_use=in_a_register)

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): the demo register and its referrals."""
        from referrals.demo import demo_register_load

        demo_register_load(stdout=stdout)
