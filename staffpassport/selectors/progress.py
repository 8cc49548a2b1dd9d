"""Credentials-required progress of many staff members at once (S7): the same template rule
as `selectors.templates.template_for`, resolved in memory from one load of the trust's
templates, so a list page or the weekly summary costs a constant number of queries however
many people it shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from staffpassport.models import Credential, CredentialsTemplate, StaffCredential, TemplateEmploymentTypes, valid_on
from staffpassport.selectors.templates import _rank, templates_visible


@dataclass(frozen=True)
class Progress:
    template: CredentialsTemplate | None
    required: frozenset[int]  # credential ids the template requires
    held: frozenset[int]  # of those, the ones issued

    @property
    def done(self) -> int:
        return len(self.held)

    @property
    def total(self) -> int:
        return len(self.required)

    @property
    def complete(self) -> bool:
        return self.required <= self.held

    @property
    def missing(self) -> frozenset[int]:
        return self.required - self.held


class TemplateBook:
    """The trust's templates and the defaults with what each requires (four queries)."""

    def __init__(self, centre):
        templates = list(
            templates_visible(centre=centre)
            .select_related("staff_group", "job_role")
            .prefetch_related("credentials", "categories")
        )
        by_category: dict[int, set[int]] = defaultdict(set)
        for category_id, credential_id in Credential.objects.values_list("category_id", "id"):
            by_category[category_id].add(credential_id)
        self.required: dict[int, frozenset[int]] = {}
        self.by_group: dict[int, list[CredentialsTemplate]] = defaultdict(list)
        for template in templates:
            ids = {credential.pk for credential in template.credentials.all()}
            for category in template.categories.all():
                ids |= by_category[category.pk]
            self.required[template.pk] = frozenset(ids)
            self.by_group[template.staff_group_id].append(template)

    def template_for(self, *, staff_group_id: int, employment_type: str, job_role_id: int | None):
        covering = TemplateEmploymentTypes.covering(employment_type)
        candidates = [
            template
            for template in self.by_group[staff_group_id]
            if template.employment_types in covering and template.job_role_id in (None, job_role_id)
        ]
        candidates.sort(key=lambda template: (*_rank(template, job_role_id), template.created_at))
        return candidates[0] if candidates else None

    def required_for(self, member) -> tuple[CredentialsTemplate | None, frozenset[int]]:
        template = self.template_for(
            staff_group_id=member.staff_group_id, employment_type=member.employment_type, job_role_id=member.job_role_id
        )
        return template, (self.required[template.pk] if template is not None else frozenset())


def issued_credential_ids(*, centre, staff_ids: Iterable[int]) -> dict[int, set[int]]:
    """Staff member id -> the ids of their issued credentials that have not expired (one query):
    an expired credential no longer meets a requirement."""
    held: dict[int, set[int]] = defaultdict(set)
    rows = StaffCredential.objects.for_centre(centre).filter(
        valid_on(timezone.localdate()),
        staff_member_id__in=list(staff_ids),
        status=StaffCredential.Status.ISSUED,
    )
    for staff_id, credential_id in rows.values_list("staff_member_id", "credential_id"):
        held[staff_id].add(credential_id)
    return held


def staff_progress(*, centre, members: list, book: TemplateBook | None = None) -> dict[int, Progress]:
    """Staff member id -> their Progress, for a page of staff (five queries)."""
    book = book or TemplateBook(centre)
    held = issued_credential_ids(centre=centre, staff_ids=[member.pk for member in members])
    progress = {}
    for member in members:
        template, required = book.required_for(member)
        progress[member.pk] = Progress(template, required, frozenset(required & held[member.pk]))
    return progress
