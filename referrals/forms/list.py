"""R5: the referrals list's query string. Nothing here can fail: a value that is not allowed
falls back to the default, so a tampered or stale link still shows the list."""

from django import forms

SORT_KEYS = ("name", "organisation", "locality", "risk", "created", "updated")
DEFAULT_SORT = "-updated"
PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25

# The "Sort by" control: the table's column headings sort on a wide screen; on a phone the table
# becomes cards without headings, so the same orders are offered as a select.
SORT_CHOICES = (
    ("-updated", "Last updated (newest first)"),
    ("updated", "Last updated (oldest first)"),
    ("-created", "Date created (newest first)"),
    ("created", "Date created (oldest first)"),
    ("name", "Name (A to Z)"),
    ("-name", "Name (Z to A)"),
    ("risk", "Risk (most urgent first)"),
    ("-risk", "Risk (least urgent first)"),
    ("organisation", "Organisation (A to Z)"),
    ("-organisation", "Organisation (Z to A)"),
    ("locality", "Locality (A to Z)"),
    ("-locality", "Locality (Z to A)"),
)


class ReferralListForm(forms.Form):
    q = forms.CharField(
        label="Search by name, NHS number or reference",
        required=False,
        max_length=100,
        strip=True,
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    per_page = forms.TypedChoiceField(
        label="Referrals per page",
        required=False,
        coerce=int,
        choices=[(number, str(number)) for number in PER_PAGE_CHOICES],
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)

    def options(self) -> dict:
        """The search, sort and page size to use, with defaults for anything not allowed."""
        self.is_valid()
        data = self.cleaned_data
        sort = data.get("sort") or DEFAULT_SORT
        if sort.removeprefix("-") not in SORT_KEYS:
            sort = DEFAULT_SORT
        return {
            "q": data.get("q") or (self.data.get("q", "")[:100].strip() if "q" in self.errors else ""),
            "sort": sort,
            "per_page": data.get("per_page") or DEFAULT_PER_PAGE,
        }
