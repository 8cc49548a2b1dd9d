"""What a person can do in their register, in words that match their role: the register's own
home page and its section of the platform home page (issue 16 item 1)."""

from django.urls import reverse

from referrals.access import RegisterAccess, register_access_for


def referrals_link_description(access: RegisterAccess) -> str:
    """What the person can do with referrals, in words that match their role (a reporting user
    only reads them)."""
    if access.can_administer:
        return "Find, view and update referrals."
    if access.can_report and access.can_refer:
        return "Find and view referrals, and update the ones you made."
    if access.can_report:
        return "Find and view referrals (read only)."
    return "Find, view and update the referrals you made."


def register_links(access: RegisterAccess) -> list[dict]:
    links = []
    if access.referring_organisations():
        links.append(
            {
                "text": access.register.form_name,
                "url_name": "referrals:create",
                "description": "Add someone to the register.",
            }
        )
    links.append(
        {
            "text": "Referrals",
            "url_name": "referrals:list",
            "description": referrals_link_description(access),
        }
    )
    if access.can_report or access.can_administer:
        links.append(
            {
                "text": "Reporting",
                "url_name": "referrals:dashboard",
                "description": "The dashboard, and Excel reports to download.",
            }
        )
    if access.can_administer:
        links.append(
            {
                "text": "Administration",
                "url_name": "referrals:administration",
                "description": "The referral form, notifications, users and the audit trail.",
            }
        )
    return [{**link, "href": reverse(link["url_name"])} for link in links]


def register_section(request) -> dict | None:
    """The register and its links, for anyone holding a register role at the current centre."""
    access = register_access_for(request)
    if access is None:
        return None
    return {"register": access.register, "links": register_links(access)}
