"""S5 custom credentials-required templates: create, change, delete. Default templates
(centre null) belong to the platform: they cannot be renamed, changed or deleted here."""

import unicodedata

from django.db import transaction

from centres.audit import audit_record
from centres.models import Centre
from staffpassport.models import CredentialsTemplate, TemplateEmploymentTypes
from staffpassport.selectors.templates import templates_visible
from staffpassport.services.errors import StaffPassportServiceError

TEMPLATE_NAME_MAX_LENGTH = 100
ALLOWED_NAME = "Use only letters, numbers, spaces and hyphens"
# Plain names for the characters people most often type.
CHARACTER_NAMES = {
    "_": "underscores",
    "<": "less-than signs",
    ">": "greater-than signs",
    "&": "ampersands",
    "'": "apostrophes",
    "\u2019": "apostrophes",
    '"': "quotation marks",
    "/": "slashes",
    "\\": "backslashes",
    ".": "full stops",
    ",": "commas",
    "(": "brackets",
    ")": "brackets",
    "+": "plus signs",
    "@": "at signs",
    "#": "hash signs",
    "%": "percent signs",
    "*": "asterisks",
    ":": "colons",
    ";": "semicolons",
    "!": "exclamation marks",
    "?": "question marks",
    "\u2013": "dashes",
    "\u2014": "dashes",
    "\t": "tabs",
}


def _character_description(character: str) -> str:
    if character in CHARACTER_NAMES:
        return f"{CHARACTER_NAMES[character]} ({character})" if character.isprintable() else CHARACTER_NAMES[character]
    if unicodedata.category(character) in {"So", "Sk", "Cs"} or 0x1F000 <= ord(character) <= 0x1FAFF:
        return f"emoji or symbols ({character})"
    if not character.isprintable():
        return "hidden or control characters"
    return f"“{character}” ({unicodedata.name(character, 'this character').lower()})"


def template_name_clean(name: str) -> str:
    """The name with spaces tidied, or StaffPassportServiceError naming what is not allowed."""
    cleaned = " ".join(part for part in (name or "").split(" ") if part)
    if not cleaned:
        only_spaces = bool(name) and not name.strip(" ")
        message = "Enter a template name. A name cannot be only spaces" if only_spaces else "Enter a template name"
        raise StaffPassportServiceError(message, field="name")
    if len(cleaned) > TEMPLATE_NAME_MAX_LENGTH:
        raise StaffPassportServiceError(
            f"Template name must be {TEMPLATE_NAME_MAX_LENGTH} characters or fewer", field="name"
        )
    bad = []
    for character in cleaned:
        if character.isalnum() or character in " -":
            continue
        description = _character_description(character)
        if description not in bad:
            bad.append(description)
    if bad:
        listed = bad[0] if len(bad) == 1 else ", ".join(bad[:-1]) + " or " + bad[-1]
        raise StaffPassportServiceError(f"Template name cannot include {listed}. {ALLOWED_NAME}", field="name")
    return cleaned


def _types_overlap(first: str, second: str) -> bool:
    return first == second or TemplateEmploymentTypes.BOTH in (first, second)


def _who(template_or_values) -> str:
    job_role = template_or_values["job_role"]
    role = f"with the job role {job_role.name}" if job_role else "with no job role"
    types = TemplateEmploymentTypes(template_or_values["employment_types"]).label.lower()
    return f"{template_or_values['staff_group'].name}, {types}, {role}"


def _check(*, centre: Centre, values: dict, template: CredentialsTemplate | None) -> None:
    """Refuse a template that cannot be saved: bad job role, nothing required, a name or a
    group/type/role already used by another of the trust's templates."""
    job_role = values["job_role"]
    if job_role is not None and (
        job_role.centre_id != centre.pk or job_role.staff_group_id != values["staff_group"].pk
    ):
        raise StaffPassportServiceError("Select a job role from the list", field="job_role")
    if not values["credentials"] and not values["categories"]:
        raise StaffPassportServiceError("Select at least one credential or category", field="credentials")
    others = templates_visible(centre=centre).select_related("staff_group", "job_role")
    if template is not None:
        others = others.exclude(pk=template.pk)
    if others.filter(name__iexact=values["name"]).exists():
        raise StaffPassportServiceError(
            f"A template called “{values['name']}” already exists. Enter a different name", field="name"
        )
    same_people = others.filter(centre=centre, staff_group=values["staff_group"], job_role=job_role)
    for other in same_people:
        if _types_overlap(other.employment_types, values["employment_types"]):
            raise StaffPassportServiceError(
                f"Your template “{other.name}” already applies to {_who(values)}. "
                "Change that template, or choose other employment types or another job role",
                field="employment_types",
            )


def _lock(centre: Centre) -> None:
    # One template change at a time per trust, so two overlapping templates cannot both pass.
    Centre.objects.select_for_update().filter(pk=centre.pk).first()


def _values(*, name, staff_group, employment_types, job_role, credentials, categories) -> dict:
    if employment_types not in TemplateEmploymentTypes.values:
        raise StaffPassportServiceError(
            "Select which employment types the template applies to", field="employment_types"
        )
    return {
        "name": template_name_clean(name),
        "staff_group": staff_group,
        "employment_types": employment_types,
        "job_role": job_role,
        "credentials": list(credentials),
        "categories": list(categories),
    }


def _summary(template: CredentialsTemplate, values: dict) -> str:
    required = [item.name for item in values["categories"]] + [item.name for item in values["credentials"]]
    return f"“{template.name}” for {_who(values)}; requires: {', '.join(required)}"


@transaction.atomic
def template_create(
    *,
    centre,
    name,
    staff_group,
    employment_types,
    job_role=None,
    credentials=(),
    categories=(),
    created_by,
    request=None,
) -> CredentialsTemplate:
    values = _values(
        name=name,
        staff_group=staff_group,
        employment_types=employment_types,
        job_role=job_role,
        credentials=credentials,
        categories=categories,
    )
    _lock(centre)
    _check(centre=centre, values=values, template=None)
    template = CredentialsTemplate.objects.create(
        centre=centre,
        name=values["name"],
        staff_group=staff_group,
        employment_types=employment_types,
        job_role=job_role,
        created_by=created_by,
    )
    template.credentials.set(values["credentials"])
    template.categories.set(values["categories"])
    audit_record(
        actor=created_by,
        action="staffpassport.template_created",
        centre=centre,
        target=template,
        summary=_summary(template, values),
        request=request,
    )
    return template


@transaction.atomic
def template_update(
    *, template, name, employment_types, job_role=None, credentials=(), categories=(), changed_by, request=None
) -> CredentialsTemplate:
    if template.is_default:
        raise StaffPassportServiceError("Default templates cannot be changed. Create a custom template instead")
    values = _values(
        name=name,
        staff_group=template.staff_group,
        employment_types=employment_types,
        job_role=job_role,
        credentials=credentials,
        categories=categories,
    )
    _lock(template.centre)
    _check(centre=template.centre, values=values, template=template)
    template.name = values["name"]
    template.employment_types = employment_types
    template.job_role = job_role
    template.save(update_fields=["name", "employment_types", "job_role", "updated_at"])
    template.credentials.set(values["credentials"])
    template.categories.set(values["categories"])
    audit_record(
        actor=changed_by,
        action="staffpassport.template_changed",
        centre=template.centre,
        target=template,
        summary=_summary(template, values),
        request=request,
    )
    return template


@transaction.atomic
def template_delete(*, template, deleted_by, request=None, reason: str = "") -> None:
    if template.is_default:
        raise StaffPassportServiceError("Default templates cannot be deleted")
    audit_record(
        actor=deleted_by,
        action="staffpassport.template_deleted",
        centre=template.centre,
        target=template,
        summary=f"“{template.name}” deleted{reason}; the default template applies instead",
        request=request,
    )
    template.delete()
