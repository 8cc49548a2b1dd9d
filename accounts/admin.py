"""The Django admin for people. Platform staff never set or see a password (they send the
owner a reset link), never change a person's email or name (those belong to the person), and
only superusers change who is platform staff or a superuser. Every change is audited
(`AuditedAdminMixin`, issue 11 finding 4)."""

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.admin_audit import AuditedAdminMixin, ReadOnlyAdminMixin
from accounts.models import User

PRIVILEGE_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


class UserAddForm(forms.ModelForm):
    """A new account without a password: the person sets one from the link they are sent."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = (
            User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        )
        if taken:
            raise forms.ValidationError("An account already uses this email address")
        return email


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "locked_at"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["public_id", "email"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Login security", {"fields": ["failed_login_attempts", "locked_at", "last_login", "date_joined"]}),
    ]
    add_form = UserAddForm
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name"]})]
    actions = ["send_password_reset_links", "unlock_accounts", "reset_second_factor"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["public_id", "date_joined", "last_login", "failed_login_attempts", "locked_at"]
        if obj is not None:
            # The person's own: they change them on My account (a changed email is confirmed).
            readonly += ["email", "first_name", "last_name"]
        if not request.user.is_superuser:
            readonly += PRIVILEGE_FIELDS
        return readonly

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("Platform staff cannot set passwords. Send the person a password reset link.")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.user_create(email=obj.email, first_name=obj.first_name, last_name=obj.last_name)
        obj.pk, obj.public_id, obj.password = created.pk, created.public_id, created.password
        obj._state.adding = False
        services.user_password_reset_link_send(user=created, request=request)

    @admin.action(description="Send a password reset link to each selected person")
    def send_password_reset_links(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            services.user_password_reset_link_send(user=user, request=request)
            self.admin_audit(request, user, verb="password_reset_sent", message=f"sent to {user.email}")
            sent += 1
        messages.success(
            request, f"{sent} password reset link{'s' if sent != 1 else ''} sent to the people's own addresses."
        )

    @admin.action(description="Unlock selected accounts")
    def unlock_accounts(self, request, queryset):
        for user in queryset.filter(locked_at__isnull=False):
            services.user_unlock(
                user=user, unlocked_by=request.user, request=request, reason="unlocked by platform staff"
            )
        messages.success(request, "Selected accounts are unlocked.")

    @admin.action(description="Reset two-factor authentication of selected accounts")
    def reset_second_factor(self, request, queryset):
        """ADR 0018: the person sets up an authenticator app again at their next login. Audited."""
        reset = 0
        for user in queryset:
            reset += bool(
                services.user_second_factor_reset(
                    user=user, reset_by=request.user, request=request, reason="reset by platform staff"
                )
            )
        messages.success(request, f"Two-factor authentication reset for {reset} account(s).")


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyAdminMixin, AllauthEmailAddressAdmin):
    """Read-only: whoever controls an account's email address controls the account, so only
    its owner changes it (My account, with confirmation)."""

    actions = []


# allauth registers its authenticators with an editable admin that shows their secrets (the
# TOTP key, the recovery codes' seed). Platform staff only see that someone has one; they
# remove it with the audited "Reset two-factor authentication" action above (ADR 0018).
import allauth.mfa.admin  # noqa: E402 - register allauth's first, so it can be replaced

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields


# NHSmail sign-in (ADR 0034): the provider is configured from the environment only, never as a
# row here (a second `nhsmail` app would break sign-in, another app would open a new way in),
# and no tokens are stored. Platform staff see who has linked NHSmail; links are not edited.
import allauth.socialaccount.admin  # noqa: E402, F401 - register allauth's first, so it can be replaced

admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
admin.site.unregister(SocialAccount)


@admin.register(SocialAccount)
class SocialAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "provider", "uid", "last_login", "date_joined"]
    list_filter = ["provider"]
    search_fields = ["user__email", "uid"]
    fields = ["user", "provider", "uid", "last_login", "date_joined"]
