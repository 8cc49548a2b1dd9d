from django.core.management.base import BaseCommand, CommandError

from centres.services.centres import centre_create
from centres.services.errors import CentreServiceError


class Command(BaseCommand):
    help = "Create a centre (C1): python manage.py create_centre --code CODE --name NAME [--ip-prefix PREFIX ...]"

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Short unique code, e.g. LTHT")
        parser.add_argument("--name", required=True, help="The centre's name")
        parser.add_argument(
            "--ip-prefix",
            action="append",
            default=[],
            dest="ip_prefixes",
            help="Registrations from an address starting with this are approved at once (repeatable)",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--telephone", default="")
        parser.add_argument("--postcode", default="")
        parser.add_argument("--manager-name", default="")

    def handle(self, *args, **options):
        prefixes = [part for value in options["ip_prefixes"] for part in value.split(",")]
        try:
            centre = centre_create(
                code=options["code"],
                name=options["name"],
                ip_prefixes=prefixes,
                email=options["email"],
                telephone=options["telephone"],
                postcode=options["postcode"],
                manager_name=options["manager_name"],
            )
        except CentreServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created centre {centre.name} ({centre.code})"))
