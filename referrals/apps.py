from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Dynamic support registers"

    def ready(self) -> None:
        from centres.grants import register_authority_set
        from referrals import signals  # noqa: F401 - login auditing and the register_audit report kind
        from referrals.grants import register_grant_refusal
        from referrals.reports import report_kinds_register

        report_kinds_register()
        register_authority_set(register_grant_refusal)

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): the demo register and its referrals."""
        from referrals.demo import demo_register_load

        demo_register_load(stdout=stdout)
