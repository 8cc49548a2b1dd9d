from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "passports"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = ["passports.view_framework", "passports.view_frameworkversion"]

    def ready(self) -> None:
        from passports import signals  # noqa: F401 - connects the receivers
        from passports.certificates import certificate_kind_register_passport
        from passports.records import report_kinds_register
        from passports.services.frameworks import framework_import_register

        report_kinds_register()  # P9 record PDF/Excel, P10 progress report
        framework_import_register()  # P1 framework spreadsheet upload, run by reporting.imports
        certificate_kind_register_passport()  # P9 certificates, checked at /verify/

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): load the demo frameworks if absent, then
        the demo passports at LTHT (passports/demo.py)."""
        from passports.demo import demo_frameworks_load, demo_passports_load

        demo_frameworks_load(stdout=stdout)
        demo_passports_load(stdout=stdout)
