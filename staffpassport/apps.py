from django.apps import AppConfig


class StaffpassportConfig(AppConfig):
    name = "staffpassport"
    verbose_name = "Staff passport"

    def ready(self) -> None:
        from centres.navigation import navigation_register
        from staffpassport.navigation import STAFFPASSPORT_SETTINGS_NAVIGATION
        from staffpassport.vc.credentials import staff_credential_verifier_register

        navigation_register(*STAFFPASSPORT_SETTINGS_NAVIGATION)
        staff_credential_verifier_register()  # S8: pasted VC-JWTs are checked at /verify/

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): the staff passport settings at LTHT."""
        from staffpassport.demo import demo_staffpassport_settings_load

        demo_staffpassport_settings_load(stdout=stdout)
