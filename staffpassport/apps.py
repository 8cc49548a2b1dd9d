from django.apps import AppConfig


class StaffpassportConfig(AppConfig):
    name = "staffpassport"

    def ready(self):
        # -- S7 ESR feed and weekly team summaries (sp-esr) ---------------------------------
        from centres.navigation import NavItem, navigation_register
        from centres.roles import Permission
        from notifications.registry import summary_audience_register
        from staffpassport.esr.kind import esr_import_register
        from staffpassport.team_summaries import TEAM_SUMMARIES

        esr_import_register()
        summary_audience_register(TEAM_SUMMARIES)
        navigation_register(
            NavItem("Staff passports", "staffpassport:staff_awaiting", Permission.MANAGE_STAFF_PASSPORT, order=115)
        )
        # -- end S7 -------------------------------------------------------------------------
