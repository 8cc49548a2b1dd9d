"""R5: the referrals list. Reads go through `RegisterAccess.visible_referrals()`; search and
sort stay on the referral table (plus the organisation's name for that sort) so the list is
fast on a large register."""

import re

from django.core.paginator import Page
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from centres.paging import KeysetPaginator
from referrals.access import RegisterAccess
from referrals.models import Risk

# Most urgent first: the order the register shows risk levels in, not alphabetical.
RISK_RANK = Case(
    *(When(risk=risk, then=Value(rank)) for rank, risk in enumerate(Risk)),
    output_field=IntegerField(),
)

SORT_FIELDS = {
    "name": ["last_name", "first_name"],
    "organisation": ["centre__name"],
    "locality": ["locality"],
    "risk": ["risk_rank"],
    "created": ["created_at"],
    "updated": ["updated_at"],
}


def referral_search(queryset: QuerySet, q: str) -> QuerySet:
    """Every word of `q` in the first or last name (so "ruby scar" finds Ruby Scarlet), or
    `q` exactly as a reference; ten digits (spaces allowed) are an NHS number and nothing else."""
    q = q.strip()
    if not q:
        return queryset
    digits = re.sub(r"[\s-]", "", q)
    if re.fullmatch(r"[0-9]{10}", digits):
        return queryset.filter(nhs_number=digits)
    names = Q()
    for word in q.split():
        names &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    # References are upper case (referrals.references): an equality the unique index answers.
    return queryset.filter(names | Q(reference=q.upper()))


def referral_sort_keys(sort: str) -> tuple[list[str], bool]:
    """(keys, descending) of `sort` for `centres.paging.KeysetPaginator`: the columns, then the
    primary key to break ties."""
    return [*SORT_FIELDS[sort.removeprefix("-")], "pk"], sort.startswith("-")


def referral_list_page(
    *,
    access: RegisterAccess,
    q: str,
    sort: str,
    per_page: int,
    page_number,
    after: str | None = None,
    before: str | None = None,
) -> Page:
    """One page of the active referrals this person may see: two queries (count and rows).
    Keyset pages (ADR 0022): "Next" and "Previous" seek from the last or first row shown, and
    a page past the middle is read from the end, on indexes matching the sorts by update,
    creation, name and locality (referrals.models), so the last page costs what the first does."""
    referrals = referral_search(access.visible_referrals().active(), q)
    if sort.removeprefix("-") == "risk":
        referrals = referrals.annotate(risk_rank=RISK_RANK)
    keys, descending = referral_sort_keys(sort)
    referrals = referrals.select_related("centre", "created_by")
    paginator = KeysetPaginator(referrals, per_page, keys=keys, descending=descending, salt="referrals.list")
    return paginator.page_at(page_number, after=after, before=before)
