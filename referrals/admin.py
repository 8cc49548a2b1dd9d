"""X6: platform staff create registers and add organisations here. Referrals are not
registered: platform staff see no patient data (R2)."""

from django.contrib import admin

from referrals.models import ExtraQuestion, Register, RegisterOrganisation


class RegisterOrganisationInline(admin.TabularInline):
    model = RegisterOrganisation
    extra = 1
    autocomplete_fields = ["centre"]


class ExtraQuestionInline(admin.TabularInline):
    model = ExtraQuestion
    extra = 0


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "team_inbox"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RegisterOrganisationInline, ExtraQuestionInline]
