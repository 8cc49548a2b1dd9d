"""S8 verifiable credentials: the public JWKS and the download of an issued credential."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from centres.roles import Permission
from core.decorators import permission_required
from core.exceptions import ServiceError
from staffpassport.vc.credentials import (
    staff_credential_for_vc,
    staff_credential_vc_issue,
    staff_credential_vc_why_not,
)
from staffpassport.vc.keys import jwks_document

JWKS_MAX_AGE = 300  # seconds: a verifier sees a new key within five minutes of a rotation


@login_not_required
@require_GET
def jwks(request):
    """The public keys that verify our credentials (active and retired), as a JWK Set."""
    response = JsonResponse(jwks_document())
    response["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"  # public keys: any verifier's page may read them
    return response


def _staff_credential_or_404(request, staff_credential_id):
    staff_credential = staff_credential_for_vc(centre=request.centre, staff_credential_id=staff_credential_id)
    if staff_credential is None:
        raise Http404("No such credential")
    return staff_credential


@permission_required(Permission.MANAGE_STAFF_PASSPORT)
@require_GET
def credential_vc(request, staff_credential_id):
    """One credential as a digital (verifiable) credential: what it says, and the download."""
    staff_credential = _staff_credential_or_404(request, staff_credential_id)
    context = {
        "staff_credential": staff_credential,
        "why_not": staff_credential_vc_why_not(staff_credential),
    }
    return render(request, "staffpassport/vc/credential.html", context)


@permission_required(Permission.MANAGE_STAFF_PASSPORT)
@require_GET
def credential_vc_download(request, staff_credential_id):
    """The signed VC-JWT as a file; audited. A credential not issued goes back to its page,
    which says why."""
    staff_credential = _staff_credential_or_404(request, staff_credential_id)
    try:
        token = staff_credential_vc_issue(staff_credential=staff_credential, actor=request.user, request=request)
    except ServiceError:  # not issued: its page says why
        return redirect("staffpassport:credential_vc", staff_credential_id=staff_credential.public_id)
    name = slugify(f"{staff_credential.credential.name} {staff_credential.staff_member.full_name}")[:80]
    response = HttpResponse(token, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="{name or "credential"}.jwt"'
    return response
