from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    verbose_name = "Care record eLearning"

    def ready(self) -> None:
        self._ready_modules()
        self._ready_invitations()

    def _ready_modules(self) -> None:
        """E1: the authoring entry in the platform header, the eLearning certificate (the second
        certificate kind checked at /verify/), and learners' header entry and home section."""
        from centres.home_sections import home_section_register
        from centres.navigation import NavItem, navigation_register
        from elearning.home import elearning_section, is_learner_request
        from elearning.services.certificates import certificate_kind_register_elearning

        navigation_register(NavItem("eLearning modules", "elearning_platform:modules", order=50), platform=True)
        certificate_kind_register_elearning()
        # Learners (a current site staff record) get a header entry and a home-page section.
        navigation_register(NavItem("eLearning", "elearning:dashboard", order=25, visible=is_learner_request))
        home_section_register("elearning", template="elearning/home/section.html", build=elearning_section, order=25)

    def _ready_invitations(self) -> None:
        """E2: "Invitations awaiting a response" in authorisers' weekly summary."""
        from elearning.notifications import invitations_awaiting_response
        from notifications.registry import summary_section_register

        summary_section_register("elearning_invitations", invitations_awaiting_response, order=60)
