from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    verbose_name = "Care record eLearning"

    def ready(self) -> None:
        from elearning import signals  # noqa: F401 - the signal other parts of the app connect to

        # --- E2 invitations (el-invites): the weekly-summary section ---
        _invitations_ready()
        # --- end E2 invitations ---


def _invitations_ready() -> None:
    """E2 invitations: "Invitations awaiting a response" in authorisers' weekly summary."""
    from elearning.notifications import invitations_awaiting_response
    from notifications.registry import summary_section_register

    summary_section_register("elearning_invitations", invitations_awaiting_response, order=60)
