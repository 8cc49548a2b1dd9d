"""C1 "Find your centre": reads for the public directory and what its pages show.

`Centre` is not tenant-owned data (it is the tenant), but most of its fields are private:
IP prefixes, the notify email, support details, the manager's name and the contact details
platform staff entered. The directory reads only the public fields below, with `.only()`,
so a template cannot show anything else even by mistake."""

import re

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from markupsafe import Markup

from centres.models import Centre

PUBLIC_DIRECTORY_FIELDS = (
    "code",
    "name",
    "public_telephone",
    "public_email",
    "postcode",
    "opening_hours",
    "web_address",
    "areas_covered",
    "training_venues",
)
PAGE_SIZE = 20


def directory_centres() -> QuerySet[Centre]:
    """Active centres that choose to appear, with their public fields only."""
    return Centre.objects.filter(is_active=True, show_in_directory=True).only(*PUBLIC_DIRECTORY_FIELDS).order_by("name")


def directory_search(*, query: str = "") -> QuerySet[Centre]:
    """Search by centre name (any part, any case) or postcode (from the start, spaces and case
    ignored, so "ls9", "LS9 7" and "ls97tf" all find LS9 7TF)."""
    centres = directory_centres()
    query = " ".join(query.split())
    if not query:
        return centres
    compact = re.sub(r"\s+", "", query).upper()
    centres = centres.annotate(postcode_compact=Replace(Upper("postcode"), Value(" "), Value("")))
    return centres.filter(Q(name__icontains=query) | Q(code__iexact=query) | Q(postcode_compact__startswith=compact))


def directory_centre(*, code: str) -> Centre | None:
    return directory_centres().filter(code__iexact=code).first()


def directory_rows(centre: Centre) -> list[dict]:
    """Summary-list rows for the details a centre has filled in (presenter)."""
    rows = []

    def add(key: str, text: str = "", html: str = "") -> None:
        if text or html:
            rows.append({"key": {"text": key}, "value": {"html": html} if html else {"text": text}})

    if centre.public_telephone:
        dial = re.sub(r"[^0-9+]", "", centre.public_telephone)
        add("Telephone", html=Markup('<a href="tel:{0}">{1}</a>').format(dial, centre.public_telephone))
    if centre.public_email:
        add("Email", html=Markup('<a href="mailto:{0}">{0}</a>').format(centre.public_email))
    add("Postcode", centre.postcode)
    add("Opening hours", centre.opening_hours)
    if centre.web_address.lower().startswith(("https://", "http://")):
        add("Website", html=Markup('<a href="{0}">{0}</a>').format(centre.web_address))
    if centre.areas_covered:
        add("Areas covered", html=_lines(centre.areas_covered))
    if centre.training_venues:
        add("Training venues", html=_lines(centre.training_venues))
    return rows


def _lines(text: str) -> Markup:
    return Markup("<br>").join(text.strip().splitlines())
