"""The register's home page: what the register is for and what this person can do in it."""

from django.shortcuts import render

from referrals.access import ANY_REGISTER_ROLE, register_role_required
from referrals.home import register_links


@register_role_required(*ANY_REGISTER_ROLE)
def register_home(request):
    access = request.register_access
    return render(request, "referrals/home.html", {"access": access, "links": register_links(access)})
