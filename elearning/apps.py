from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    verbose_name = "Care record eLearning"

    def ready(self) -> None:
        from elearning import signals  # noqa: F401 - the signal other parts of the app connect to

        self._ready_modules()  # E1 modules (el-modules)

    # -- E1 modules (el-modules) ----------------------------------------------------------------
    def _ready_modules(self) -> None:
        """The authoring entry in the platform header, and the eLearning certificate: the
        second certificate kind checked at /verify/."""
        from centres.navigation import NavItem, navigation_register
        from elearning.services.certificates import certificate_kind_register_elearning

        navigation_register(NavItem("eLearning modules", "elearning_platform:modules", order=50), platform=True)
        certificate_kind_register_elearning()

    # -- end E1 modules ---------------------------------------------------------------------------
