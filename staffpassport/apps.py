from django.apps import AppConfig
from django.conf import settings


class StaffpassportConfig(AppConfig):
    name = "staffpassport"
    verbose_name = "Staff passport"

    def ready(self) -> None:
        from centres.audit import audit_labels_register
        from centres.navigation import navigation_register
        from staffpassport.audit_labels import STAFFPASSPORT_AUDIT_LABELS
        from staffpassport.navigation import STAFFPASSPORT_SETTINGS_NAVIGATION
        from staffpassport.vc.credentials import staff_credential_verifier_register

        audit_labels_register(STAFFPASSPORT_AUDIT_LABELS)
        navigation_register(*STAFFPASSPORT_SETTINGS_NAVIGATION)
        # ADR 0048: the senior portal administrator's role is for the staff passport.
        from centres.role_areas import role_area_register
        from centres.roles import Role

        role_area_register(Role.SENIOR_PORTAL_ADMIN, name="the staff passport")
        staff_credential_verifier_register()  # S8: pasted VC-JWTs are checked at /verify/

        # -- S7 ESR feed, staff passports and weekly team summaries (sp-esr) ----------------
        from centres.navigation import NavItem
        from centres.roles import Permission
        from notifications.registry import summary_audience_register
        from staffpassport.esr.kind import esr_import_register
        from staffpassport.team_summaries import TEAM_SUMMARIES

        esr_import_register()
        from staffpassport.services.esr_imports import esr_import_workflow_register

        esr_import_workflow_register()  # its page workflow: reporting.upload_workflow (swept by beat)
        summary_audience_register(TEAM_SUMMARIES)
        navigation_register(
            NavItem("Staff passports", "staffpassport:staff_awaiting", Permission.MANAGE_STAFF_PASSPORT, order=115)
        )
        # -- end S7 -------------------------------------------------------------------------
        # What waits for a senior portal administrator: their home page's "To do" (issue 16).
        from notifications.registry import summary_section_register
        from staffpassport.home import credentials_waiting_entry, staff_awaiting_entry

        # home_only: senior portal administrators get no per-person weekly email (their teams'
        # summaries go to team addresses, team_summaries.py), so these are home page entries.
        summary_section_register(
            "staffpassport_credentials_waiting", credentials_waiting_entry, order=80, home_only=True
        )
        summary_section_register("staffpassport_staff_awaiting", staff_awaiting_entry, order=81, home_only=True)

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): the staff passport settings at LTHT, then
        the staff passports from the example ESR feed (some issued, one waiting for manual
        issue, one rejected, one person reviewed). Running it again changes nothing."""
        from staffpassport.demo import demo_staffpassport_settings_load
        from staffpassport.demo_staff import demo_staff_passports_load

        sarah = demo_staffpassport_settings_load(stdout=stdout)
        # The browser tests load the demo before each journey; the feed import is the slowest
        # part and only one journey needs it, so they turn it off (tests/system/conftest.py).
        if sarah is not None and getattr(settings, "STAFFPASSPORT_DEMO_STAFF", True):
            demo_staff_passports_load(actor=sarah, stdout=stdout)
