from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    verbose_name = "Care record eLearning"

    def ready(self) -> None:
        from centres.audit import audit_labels_register
        from elearning.audit_labels import ELEARNING_AUDIT_LABELS

        audit_labels_register(ELEARNING_AUDIT_LABELS)
        self._ready_modules()
        self._ready_invitations()
        self._ready_sites()
        # ADR 0048: the authoriser role is for care record sites (any centre may be one).
        from centres.role_areas import role_area_register
        from centres.roles import Role

        role_area_register(Role.AUTHORISER, name="care record eLearning")

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

    def _ready_sites(self) -> None:
        """E3/E4: Manage sites, the request queue's header entry and dashboard task, "Requests
        waiting" in the weekly summary, and the request raised when someone completes the
        eLearning (`elearning.signals.required_modules_completed`)."""
        from centres.home_tasks import platform_task_register
        from centres.navigation import navigation_register
        from elearning import receivers, signals, sites_registry
        from notifications.registry import summary_section_register

        navigation_register(*sites_registry.SITES_NAVIGATION)
        navigation_register(*sites_registry.QUEUE_PLATFORM_NAVIGATION, platform=True)
        platform_task_register(sites_registry.QUEUE_PLATFORM_TASK)
        summary_section_register("elearning_requests_waiting", sites_registry.requests_waiting, order=70)
        signals.required_modules_completed.connect(
            receivers.site_access_requests_on_completion, dispatch_uid="elearning_site_access_requests"
        )

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): the Leeds Care Record modules, a care record
        site with its authoriser, staff, invitations and queued requests (elearning/demo.py)."""
        from elearning.demo import demo_elearning_load

        demo_elearning_load(stdout=stdout)
