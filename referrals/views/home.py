"""The register's home page: what the register is for and what this person can do in it."""

from django.shortcuts import render
from django.urls import reverse

from referrals.access import ANY_REGISTER_ROLE, RegisterAccess, register_role_required


def _links(access: RegisterAccess) -> list[dict]:
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
            "description": "Find, view and update referrals."
            if access.can_report or access.can_administer
            else "Find, view and update the referrals you made.",
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


@register_role_required(*ANY_REGISTER_ROLE)
def register_home(request):
    access = request.register_access
    return render(request, "referrals/home.html", {"access": access, "links": _links(access)})
