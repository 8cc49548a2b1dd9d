"""/.well-known/: the public keys of verifiable credentials (ADR 0040)."""

from django.urls import path

from staffpassport.vc import views

urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
]
