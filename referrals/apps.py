from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Dynamic support registers"

    def ready(self) -> None:
        from referrals import signals  # noqa: F401 - login auditing and the register_audit report kind
        from referrals.reports import report_kinds_register

        report_kinds_register()

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): the demo register and its referrals."""
        from referrals.demo import demo_register_load

        demo_register_load(stdout=stdout)
