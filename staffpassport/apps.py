from django.apps import AppConfig


class StaffpassportConfig(AppConfig):
    name = "staffpassport"

    def ready(self):
        # -- S7 ESR feed and weekly team summaries (sp-esr) ---------------------------------
        from notifications.registry import summary_audience_register
        from staffpassport.esr.kind import esr_import_register
        from staffpassport.team_summaries import TEAM_SUMMARIES

        esr_import_register()
        summary_audience_register(TEAM_SUMMARIES)
        # -- end S7 -------------------------------------------------------------------------
