from django.apps import AppConfig
from django.db.models.signals import pre_save


def _guard_locked_content(sender, instance, raw=False, **kwargs):
    """The versioning guarantee (P1): a section or proficiency of a published or retired
    version can never be changed, even by code that skips the services. New rows may be
    added while a version is built; only updates are refused here."""
    from passports.models import FrameworkVersion
    from passports.services.frameworks import FrameworkVersionLocked

    if raw or instance.pk is None:
        return
    status = FrameworkVersion.objects.filter(pk=instance.version_id).values_list("status", flat=True).first()
    if status is not None and status != FrameworkVersion.Status.DRAFT:
        raise FrameworkVersionLocked(
            f"A {status} framework version cannot be changed: start a new draft to make changes"
        )


class PassportsConfig(AppConfig):
    name = "passports"

    def ready(self):
        from passports.models import Proficiency, Section

        pre_save.connect(_guard_locked_content, sender=Section, dispatch_uid="passports_section_locked")
        pre_save.connect(_guard_locked_content, sender=Proficiency, dispatch_uid="passports_proficiency_locked")

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): load the demo frameworks if absent."""
        from passports.demo import demo_frameworks_load

        demo_frameworks_load(stdout=stdout)
