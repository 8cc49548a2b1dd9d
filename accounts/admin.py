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
