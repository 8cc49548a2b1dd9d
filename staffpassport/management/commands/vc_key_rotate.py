from django.core.management.base import BaseCommand

from staffpassport.vc.keys import signing_key_rotate
from staffpassport.vc.models import SigningKey


class Command(BaseCommand):
    help = (
        "S8 verifiable credentials (ADR 0040): retire the active signing key (it stays in the JWKS, so "
        "what it signed still verifies) and make a new one active. With --list, only show the keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the keys (kid, status, dates) and change nothing")

    def handle(self, *args, **options):
        if not options["list"]:
            old, new = signing_key_rotate()
            if old is not None:
                self.stdout.write(f"Retired {old.kid} (still published in /.well-known/jwks.json)")
            self.stdout.write(self.style.SUCCESS(f"New active signing key {new.kid}"))
        for key in SigningKey.objects.order_by("status", "-activated_at"):
            retired = f", retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else ""
            self.stdout.write(f"{key.kid}  {key.status}  activated {key.activated_at:%Y-%m-%d %H:%M}{retired}")
