"""Receivers: for the signals centres sends (centres never imports passports), and the
versioning guard on framework content."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from centres.signals import memberships_created
from passports.models import FrameworkVersion, Proficiency, Section
from passports.services.framework_rows import FrameworkVersionLocked
from passports.services.staff import staff_entries_link


@receiver(memberships_created, dispatch_uid="passports.staff_entries_link")
def link_staff_list_entries(sender, centre, memberships, **kwargs):
    """P2: an invited email that registers at the centre joins the staff lists it is on."""
    staff_entries_link(centre=centre, memberships=memberships)


@receiver(pre_save, sender=Section, dispatch_uid="passports_section_locked")
@receiver(pre_save, sender=Proficiency, dispatch_uid="passports_proficiency_locked")
def guard_locked_content(sender, instance, raw=False, **kwargs):
    """The versioning guarantee (P1): a section or proficiency of a published or retired
    version can never be changed, even by code that skips the services. New rows may be
    added while a version is built; only updates are refused here."""

    if raw or instance.pk is None:
        return
    status = FrameworkVersion.objects.filter(pk=instance.version_id).values_list("status", flat=True).first()
    if status is not None and status != FrameworkVersion.Status.DRAFT:
        raise FrameworkVersionLocked(
            f"A {status} framework version cannot be changed: start a new draft to make changes"
        )
