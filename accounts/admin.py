from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import services
from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "locked_at"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["public_id", "date_joined", "last_login", "failed_login_attempts", "locked_at"]
    fieldsets = [
        (None, {"fields": ["public_id", "email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Login security", {"fields": ["failed_login_attempts", "locked_at", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]})
    ]
    actions = ["unlock_accounts", "reset_second_factor"]

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


# allauth registers its authenticators with an editable admin that shows their secrets (the
# TOTP key, the recovery codes' seed). Platform staff only see that someone has one; they
# remove it with the audited "Reset two-factor authentication" action above (ADR 0018).
import allauth.mfa.admin  # noqa: E402, F401 - register allauth's first, so it can be replaced

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
