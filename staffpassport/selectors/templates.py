"""Which credentials-required template applies to a staff member, and what it requires (S5).

The rule (ADR 0038): among the templates for the person's staff group whose employment types
cover the person's employment type, a trust's custom template beats a default one; a custom
template for the person's job role beats one without a job role; a template for exactly the
person's employment type beats one for both types. Every staff group and employment type has a
default template, so a person always has one.
"""

from django.db.models import Q, QuerySet

from staffpassport.models import Credential, CredentialsTemplate, EmploymentType, TemplateEmploymentTypes


def templates_visible(*, centre) -> QuerySet[CredentialsTemplate]:
    """The trust's custom templates and the platform's defaults."""
    return CredentialsTemplate.objects.filter(Q(centre=centre) | Q(centre__isnull=True))


def _rank(template: CredentialsTemplate, job_role_id: int | None) -> tuple[int, int, int]:
    return (
        0 if template.centre_id is not None else 1,
        0 if job_role_id is not None and template.job_role_id == job_role_id else 1,
        0 if template.employment_types != TemplateEmploymentTypes.BOTH else 1,
    )


def template_candidates(*, centre, staff_group, employment_type: str, job_role=None) -> list[CredentialsTemplate]:
    """Every template that could apply to a person with these values, best first."""
    job_role_id = job_role.pk if job_role is not None else None
    role_filter = Q(job_role__isnull=True)
    if job_role_id is not None:
        role_filter |= Q(job_role_id=job_role_id)
    candidates = list(
        templates_visible(centre=centre)
        .filter(
            role_filter, staff_group=staff_group, employment_types__in=TemplateEmploymentTypes.covering(employment_type)
        )
        .select_related("staff_group", "job_role")
    )
    return sorted(candidates, key=lambda template: (*_rank(template, job_role_id), template.created_at))


def template_for(staff_member) -> tuple[CredentialsTemplate | None, list[str]]:
    """The template that applies to `staff_member` and the reasons, in words a person reads."""
    return template_resolve(
        centre=staff_member.centre,
        staff_group=staff_member.staff_group,
        employment_type=staff_member.employment_type,
        job_role=staff_member.job_role,
    )


def template_resolve(
    *, centre, staff_group, employment_type: str, job_role=None
) -> tuple[CredentialsTemplate | None, list[str]]:
    candidates = template_candidates(
        centre=centre, staff_group=staff_group, employment_type=employment_type, job_role=job_role
    )
    type_label = EmploymentType(employment_type).label.lower()
    reasons = [f"Their staff group is {staff_group.name} and they are a {type_label}."]
    if job_role is not None:
        reasons.append(f"Their job role is {job_role.name}.")
    if not candidates:
        reasons.append("No template applies to this staff group and employment type.")
        return None, reasons
    chosen = candidates[0]
    reasons.extend(_reasons_for(chosen, candidates[1:]))
    return chosen, reasons


def _reasons_for(chosen: CredentialsTemplate, others: list[CredentialsTemplate]) -> list[str]:
    reasons = []
    if chosen.is_default:
        reasons.append(f"The trust has no custom template for them, so the default template “{chosen.name}” applies.")
    elif chosen.job_role_id is not None:
        reasons.append(f"The custom template “{chosen.name}” is for their job role, {chosen.job_role.name}.")
    else:
        reasons.append(f"The custom template “{chosen.name}” is for their staff group, with no job role.")
    if chosen.employment_types == TemplateEmploymentTypes.BOTH:
        reasons.append("It applies to current employees, new starters and temporary movers.")
    for other in others:
        reasons.append(f"It takes precedence over “{other.name}” ({_why_lower(chosen, other)}).")
    return reasons


def _why_lower(chosen: CredentialsTemplate, other: CredentialsTemplate) -> str:
    if other.is_default and not chosen.is_default:
        return "custom templates take precedence over default templates"
    if chosen.job_role_id is not None and other.job_role_id is None:
        return "a template for their job role takes precedence over one without a job role"
    return "a template for exactly their employment type takes precedence over one for both types"


def template_required_credentials(template: CredentialsTemplate) -> list[Credential]:
    """The credentials a template requires: the ticked ones and every credential of the ticked
    categories, once each, in catalogue order."""
    return list(
        Credential.objects.filter(
            Q(pk__in=template.credentials.values("pk")) | Q(category__in=template.categories.values("pk"))
        )
        .select_related("category")
        .order_by("category__position", "position", "name")
        .distinct()
    )


def templates_list(*, centre) -> tuple[list[CredentialsTemplate], list[CredentialsTemplate]]:
    """(the trust's custom templates, the default templates), each with what they require."""
    templates = list(
        templates_visible(centre=centre)
        .select_related("staff_group", "job_role")
        .prefetch_related("credentials", "categories")
        .order_by("staff_group__position", "employment_types", "name")
    )
    custom = [template for template in templates if not template.is_default]
    return custom, [template for template in templates if template.is_default]


def template_for_centre(*, centre, public_id) -> CredentialsTemplate | None:
    """A template the trust may see (its own or a default); None for another trust's."""
    return (
        templates_visible(centre=centre)
        .select_related("staff_group", "job_role")
        .prefetch_related("credentials", "categories")
        .filter(public_id=public_id)
        .first()
    )


def custom_template_for_centre(*, centre, public_id) -> CredentialsTemplate | None:
    return (
        CredentialsTemplate.objects.for_centre(centre)
        .select_related("staff_group", "job_role")
        .filter(public_id=public_id)
        .first()
    )
