"""What the settings pages show, worked out once here (templates stay logic-light)."""

from dataclasses import dataclass

from staffpassport.models import CredentialCategory, CredentialsTemplate, TemplateEmploymentTypes


def validity_text(days: int | None) -> str:
    if not days:
        return "Does not expire"
    if days % 365 == 0:
        years = days // 365
        return f"Valid for {years} year{'s' if years != 1 else ''}"
    return f"Valid for {days} days"


@dataclass(frozen=True)
class AutoIssuanceSection:
    category: CredentialCategory
    items: list[dict]  # for the NHS checkboxes macro
    automatic_count: int

    @property
    def all_on(self) -> bool:
        return self.automatic_count == len(self.items)

    @property
    def status_text(self) -> str:
        if self.all_on:
            return "All issued automatically"
        if not self.automatic_count:
            return "All wait for manual issue"
        return f"{self.automatic_count} of {len(self.items)} issued automatically"


def auto_issuance_sections(categories, ticked: set[int]) -> list[AutoIssuanceSection]:
    sections = []
    for category in categories:
        credentials = list(category.credentials.all())
        items = [
            {
                "value": credential.code,
                "text": credential.name,
                "checked": credential.pk in ticked,
                "hint": {"text": validity_text(credential.validity_days)},
            }
            for credential in credentials
        ]
        sections.append(
            AutoIssuanceSection(
                category=category,
                items=items,
                automatic_count=sum(1 for credential in credentials if credential.pk in ticked),
            )
        )
    return sections


def employment_types_text(template: CredentialsTemplate) -> str:
    return TemplateEmploymentTypes(template.employment_types).label


def required_summary(template: CredentialsTemplate) -> list[str]:
    """ "Every credential in Identity", then the single credentials, for a list page."""
    categories = sorted(template.categories.all(), key=lambda category: category.position)
    credentials = sorted(
        template.credentials.all(), key=lambda credential: (credential.category_id, credential.position)
    )
    return [f"Every credential in {category.name}" for category in categories] + [
        credential.name for credential in credentials
    ]
