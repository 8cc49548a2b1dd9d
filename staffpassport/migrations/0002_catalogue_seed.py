"""Seed the platform-wide catalogue (ADR 0038): credential categories and credentials, the ESR
staff groups, and a default credentials-required template per staff group and employment type.

The data lives here, not imported from the app, so this migration gives the same rows forever.
Codes are what an ESR feed names; they never change. Re-running adds only what is missing.
"""

from django.db import migrations

YEAR = 365

# (category code, category name, [(credential code, credential name, validity in days or None)])
CATALOGUE = [
    (
        "identity",
        "Identity",
        [
            ("identity-check", "Identity check", None),
            ("photo-identity", "Photographic identity document", None),
        ],
    ),
    (
        "right-to-work",
        "Right to work",
        [
            ("right-to-work", "Right to work in the UK", None),
            ("visa-immigration-status", "Visa or immigration status", None),
        ],
    ),
    (
        "dbs",
        "Disclosure and Barring Service (DBS)",
        [
            ("dbs-basic", "DBS basic check", 3 * YEAR),
            ("dbs-standard", "DBS standard check", 3 * YEAR),
            ("dbs-enhanced", "DBS enhanced check", 3 * YEAR),
            ("dbs-enhanced-barred", "DBS enhanced check with barred lists", 3 * YEAR),
        ],
    ),
    (
        "professional-registration",
        "Professional registration",
        [
            ("gmc-registration", "General Medical Council (GMC) registration", YEAR),
            ("nmc-registration", "Nursing and Midwifery Council (NMC) registration", YEAR),
            ("hcpc-registration", "Health and Care Professions Council (HCPC) registration", 2 * YEAR),
            ("gphc-registration", "General Pharmaceutical Council (GPhC) registration", YEAR),
            ("gdc-registration", "General Dental Council (GDC) registration", YEAR),
            ("goc-registration", "General Optical Council (GOC) registration", YEAR),
        ],
    ),
    (
        "occupational-health",
        "Occupational health and immunisations",
        [
            ("oh-clearance", "Occupational health clearance", None),
            ("hepatitis-b", "Hepatitis B immunisation", None),
            ("mmr", "Measles, mumps and rubella (MMR) immunisation", None),
            ("varicella", "Varicella (chickenpox) immunity", None),
            ("tuberculosis", "Tuberculosis (BCG) screening", None),
            ("epp-clearance", "Exposure prone procedures (EPP) clearance", None),
            ("influenza", "Seasonal influenza vaccination", YEAR),
        ],
    ),
    (
        "statutory-mandatory-training",
        "Statutory and mandatory training",
        [
            ("cstf-conflict-resolution", "Conflict resolution", 3 * YEAR),
            ("cstf-equality-diversity", "Equality, diversity and human rights", 3 * YEAR),
            ("cstf-fire-safety", "Fire safety", 2 * YEAR),
            ("cstf-health-safety", "Health, safety and welfare", 3 * YEAR),
            ("cstf-infection-prevention-1", "Infection prevention and control level 1", 3 * YEAR),
            ("cstf-infection-prevention-2", "Infection prevention and control level 2", YEAR),
            ("cstf-information-governance", "Information governance and data security", YEAR),
            ("cstf-moving-handling-1", "Moving and handling level 1", 3 * YEAR),
            ("cstf-moving-handling-2", "Moving and handling level 2", 2 * YEAR),
            ("cstf-preventing-radicalisation", "Preventing radicalisation", 3 * YEAR),
            ("cstf-resuscitation-1", "Resuscitation level 1", YEAR),
            ("cstf-resuscitation-2-adult", "Resuscitation level 2 (adult basic life support)", YEAR),
            ("cstf-safeguarding-adults-1", "Safeguarding adults level 1", 3 * YEAR),
            ("cstf-safeguarding-adults-2", "Safeguarding adults level 2", 3 * YEAR),
            ("cstf-safeguarding-children-1", "Safeguarding children level 1", 3 * YEAR),
            ("cstf-safeguarding-children-2", "Safeguarding children level 2", 3 * YEAR),
            ("cstf-safeguarding-children-3", "Safeguarding children level 3", 3 * YEAR),
        ],
    ),
    (
        "employment-history",
        "Employment history",
        [
            ("nhs-employment-history", "NHS employment history", None),
            ("employment-references", "Employment references", None),
        ],
    ),
    (
        "qualifications",
        "Qualifications",
        [
            ("professional-qualification", "Professional qualification", None),
            ("english-language", "English language competency", None),
            ("driving-licence", "Driving licence", None),
        ],
    ),
]

# (code, name as ESR spells it, the registration credential its registered staff hold)
STAFF_GROUPS = [
    ("add-prof-scientific-technic", "Add Prof Scientific and Technic", "hcpc-registration"),
    ("additional-clinical-services", "Additional Clinical Services", None),
    ("administrative-clerical", "Administrative and Clerical", None),
    ("allied-health-professionals", "Allied Health Professionals", "hcpc-registration"),
    ("estates-ancillary", "Estates and Ancillary", None),
    ("healthcare-scientists", "Healthcare Scientists", "hcpc-registration"),
    ("medical-dental", "Medical and Dental", "gmc-registration"),
    ("nursing-midwifery-registered", "Nursing and Midwifery Registered", "nmc-registration"),
    ("students", "Students", None),
]

CLINICAL_GROUPS = {
    "add-prof-scientific-technic",
    "additional-clinical-services",
    "allied-health-professionals",
    "healthcare-scientists",
    "medical-dental",
    "nursing-midwifery-registered",
    "students",
}

# Every default template requires statutory and mandatory training (the whole category).
# New starters and temporary movers also need the pre-employment checks; clinical staff need
# occupational health clearance, and registered staff their registration.
NEW_STARTER_CATEGORIES = ["identity", "right-to-work", "employment-history"]
CLINICAL_NEW_STARTER_CREDENTIALS = ["dbs-enhanced-barred", "oh-clearance", "hepatitis-b", "mmr"]
NON_CLINICAL_NEW_STARTER_CREDENTIALS = ["dbs-basic", "oh-clearance"]


def seed(apps, schema_editor):
    CredentialCategory = apps.get_model("staffpassport", "CredentialCategory")
    Credential = apps.get_model("staffpassport", "Credential")
    StaffGroup = apps.get_model("staffpassport", "StaffGroup")
    CredentialsTemplate = apps.get_model("staffpassport", "CredentialsTemplate")

    categories = {}
    credentials = {}
    for category_position, (category_code, category_name, items) in enumerate(CATALOGUE, start=1):
        category, _ = CredentialCategory.objects.get_or_create(
            code=category_code, defaults={"name": category_name, "position": category_position * 10}
        )
        categories[category_code] = category
        for position, (code, name, validity_days) in enumerate(items, start=1):
            credentials[code], _ = Credential.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "category": category,
                    "position": position * 10,
                    "validity_days": validity_days,
                },
            )

    for group_position, (group_code, group_name, registration) in enumerate(STAFF_GROUPS, start=1):
        group, _ = StaffGroup.objects.get_or_create(
            code=group_code, defaults={"name": group_name, "position": group_position * 10}
        )
        clinical = group_code in CLINICAL_GROUPS
        for employment_type, label in (("current", "current employees"), ("new_starter", "new starters")):
            template, created = CredentialsTemplate.objects.get_or_create(
                centre=None,
                staff_group=group,
                employment_types=employment_type,
                defaults={"name": f"{group_name} - {label}"},
            )
            if not created:
                continue
            template.categories.add(categories["statutory-mandatory-training"])
            codes = [registration] if registration else []
            if employment_type == "new_starter":
                template.categories.add(*(categories[code] for code in NEW_STARTER_CATEGORIES))
                codes += CLINICAL_NEW_STARTER_CREDENTIALS if clinical else NON_CLINICAL_NEW_STARTER_CREDENTIALS
            template.credentials.add(*(credentials[code] for code in codes))


class Migration(migrations.Migration):
    dependencies = [("staffpassport", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
