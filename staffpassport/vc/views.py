"""S8 verifiable credentials: the public JWKS and the download of an issued credential."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

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
