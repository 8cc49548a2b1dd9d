"""Receivers for the signals centres sends (centres never imports passports)."""

from django.dispatch import receiver

from centres.signals import memberships_created
from passports.services.staff import staff_entries_link


@receiver(memberships_created, dispatch_uid="passports.staff_entries_link")
def link_staff_list_entries(sender, centre, memberships, **kwargs):
    """P2: an invited email that registers at the centre joins the staff lists it is on."""
    staff_entries_link(centre=centre, memberships=memberships)
