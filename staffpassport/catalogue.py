"""The platform-wide catalogue (credentials, ESR staff groups, default templates) that
migration 0002 seeds. A transactional test (a browser, a real worker) empties every table when
it ends; `catalogue_ensure` puts the seeded rows back (tests and the demo call it)."""

from importlib import import_module

from django.apps import apps as django_apps

from staffpassport.models import StaffGroup


def catalogue_ensure() -> None:
    if not StaffGroup.objects.exists():
        import_module("staffpassport.migrations.0002_catalogue_seed").seed(django_apps, None)
