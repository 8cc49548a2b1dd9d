"""Creating a centre and cleaning what platform staff enter for it (code, IP prefixes)."""

import re

from django.db import transaction

from centres.audit import audit_record
from centres.models import Centre
from centres.services.errors import CentreServiceError
from core.services import model_update

CENTRE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


IP_PREFIX_PATTERN = re.compile(r"^[0-9A-Fa-f.:]{1,45}$")


def ip_prefixes_clean(ip_prefixes: list[str]) -> list[str]:
    cleaned = []
    for prefix in ip_prefixes:
        prefix = prefix.strip()
        if not prefix:
            continue
        if not IP_PREFIX_PATTERN.match(prefix):
            raise CentreServiceError(
                f"“{prefix}” is not an IP prefix. Use the start of an address, like 10.12. or 192.168.1.",
                field="ip_prefixes",
            )
        cleaned.append(prefix)
    return cleaned


CENTRE_DETAILS = (
    "notify_email",
    "support_details",
    "show_in_directory",
    "is_active",
    "public_telephone",
    "public_email",
    "opening_hours",
    "web_address",
    "areas_covered",
    "training_venues",
)


@transaction.atomic
def centre_create(
    *,
    code: str,
    name: str,
    actor=None,
    ip_prefixes: list[str] | None = None,
    manager_name: str = "",
    email: str = "",
    telephone: str = "",
    postcode: str = "",
    details: dict | None = None,
) -> Centre:
    """C1. `details`: any of CENTRE_DETAILS (notify email, support details, the public
    directory details, whether it is listed or active); the model's defaults otherwise."""
    details = dict(details or {})
    if unknown := set(details) - set(CENTRE_DETAILS):
        raise ValueError(f"Not centre details: {sorted(unknown)}")
    code = code.strip().upper()
    name = name.strip()
    if not CENTRE_CODE_PATTERN.match(code):
        raise CentreServiceError("Enter a centre code of 2 to 20 letters, numbers or hyphens, like LTHT", field="code")
    if not name:
        raise CentreServiceError("Enter the centre name", field="name")
    if Centre.objects.filter(code__iexact=code).exists():
        raise CentreServiceError(f"A centre with the code {code} already exists", field="code")
    centre = Centre.objects.create(
        code=code,
        name=name,
        ip_prefixes=ip_prefixes_clean(ip_prefixes or []),
        **details,
        manager_name=manager_name,
        email=email,
        telephone=telephone,
        postcode=postcode.upper(),
    )
    audit_record(actor=actor, centre=centre, action="centre.created", target=centre, summary=f"Centre {centre} created")
    return centre


def centre_create_from(unsaved: Centre, *, actor) -> Centre:
    """`centre_create` with the values of an unsaved Centre (the admin's add page, an import row)."""
    return centre_create(
        code=unsaved.code,
        name=unsaved.name,
        actor=actor,
        ip_prefixes=unsaved.ip_prefixes or [],
        manager_name=unsaved.manager_name,
        email=unsaved.email,
        telephone=unsaved.telephone,
        postcode=unsaved.postcode,
        details={name: getattr(unsaved, name) for name in CENTRE_DETAILS},
    )


@transaction.atomic
def centre_update(
    *,
    centre: Centre,
    actor,
    name: str,
    ip_prefixes: list[str],
    notify_email: str,
    is_active: bool,
    show_in_directory: bool,
    request=None,
) -> list[str]:
    """Issue 16 item 9: platform staff change a centre on a page of the service. The code is
    fixed once made (it is in registration links). Returns the labels of what changed."""
    name = name.strip()
    if not name:
        raise CentreServiceError("Enter the centre name", field="name")
    prefixes = ip_prefixes_clean(ip_prefixes)
    update = model_update(
        centre,
        {
            "name": name,
            "ip_prefixes": prefixes,
            "notify_email": notify_email.strip(),
            "is_active": is_active,
            "show_in_directory": show_in_directory,
        },
    )
    if update:
        audit_record(
            actor=actor,
            centre=centre,
            action="centre.changed",
            target=centre,
            summary=f"Centre {centre.code} changed: {update.summary()}",
            request=request,
        )
    return update.fields
