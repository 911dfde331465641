"""Provider organisations, for Administrators."""

from django.contrib import admin

from procurement.admin import SealedBidsGuardMixin
from providers.models import (
    ComplianceDocument,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    PartnerProfile,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    raw_id_fields = ["user"]
    extra = 0


class ComplianceDocumentInline(admin.TabularInline):
    model = ComplianceDocument
    fields = ["kind", "original_name", "expires_on", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "uploaded_by", "uploaded_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the organisation's compliance page, which checks files


@admin.register(Organisation)
class OrganisationAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
    """No filtering through an organisation's bids or partnerships (`?bids=`,
    `?partnerships__isnull=`), and no delete page naming them: which organisations bid for
    what is sealed until the deadline."""

    list_display = ["name", "org_id", "legal_form", "sector", "verification_status", "created_at"]
    list_filter = ["verification_status", "sector", "legal_form", "income_band"]
    search_fields = ["name", "org_id", "charity_number", "company_number", "ppon", "postcode"]
    filter_horizontal = ["wards_served"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "updated_at"]
    inlines = [MembershipInline, ComplianceDocumentInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    raw_id_fields = ["organisation", "user", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
    """Organisations' offers to be found for consortium bids (the partner finder). An
    administrator may stop one being found (`findable`), for an organisation that asks;
    what it offers is the organisation's own words, changed on its page."""

    list_display = ["organisation", "findable", "updated_at"]
    list_filter = ["findable"]
    search_fields = ["organisation__name", "offer"]
    list_select_related = ["organisation"]
    fields = ["organisation", "findable", "offer", "areas", "updated_by", "updated_at"]
    readonly_fields = ["organisation", "offer", "areas", "updated_by", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
