"""The Understand stage's records, for Administrators."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.uploads import CheckedFileField
from engagement.models import (
    Booking,
    EngagementEvent,
    EvidenceItem,
    Feedback,
    Gap,
    ServiceProvision,
)


class BookingInline(admin.TabularInline):
    model = Booking
    fields = ["user", "organisation", "status", "attended", "access_needs", "booked_at"]
    readonly_fields = ["booked_at"]
    raw_id_fields = ["user", "organisation"]
    extra = 0


@admin.register(EngagementEvent)
class EngagementEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "venue", "capacity", "is_published"]
    list_filter = ["kind", "audience", "is_published", "bookings_open"]
    search_fields = ["title", "description", "venue"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["commissions", "priorities", "areas"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [BookingInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["summary", "source", "given_by", "organisation", "commission", "received_on"]
    list_filter = ["source", "received_on", "priorities"]
    search_fields = ["summary", "text", "given_by", "organisation__name"]
    date_hierarchy = "received_on"
    raw_id_fields = ["organisation", "submitted_by", "recorded_by", "event", "commission"]
    filter_horizontal = ["priorities", "areas"]


# --- Local needs assessment, existing provision and gap analysis ---------------------------


class EvidenceItemAdminForm(forms.ModelForm):
    # The same content check as the staff pages: an upload is judged by what it contains.
    file = CheckedFileField(required=False)

    class Meta:
        model = EvidenceItem
        fields = [
            "title",
            "category",
            "source",
            "dated",
            "summary",
            "url",
            "file",
            "priorities",
            "areas",
            "commissions",
            "recorded_by",
        ]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    form = EvidenceItemAdminForm
    list_display = ["title", "category", "source", "dated", "has_file"]
    list_filter = ["category", "priorities", "dated"]
    search_fields = ["title", "source", "summary"]
    date_hierarchy = "dated"
    filter_horizontal = ["priorities", "areas", "commissions"]
    raw_id_fields = ["recorded_by"]
    readonly_fields = ["download", "created_at"]

    @admin.display(boolean=True, description="File")
    def has_file(self, evidence: EvidenceItem) -> bool:
        return bool(evidence.file)

    @admin.display(description="Current file")
    def download(self, evidence: EvidenceItem) -> str:
        """Files are only downloaded through the permission-checked view."""
        if not evidence.pk or not evidence.file:
            return "None"
        url = reverse("engagement:evidence_file", kwargs={"pk": evidence.pk})
        return format_html('<a href="{}">Download</a>', url)


class ServiceProvisionAdminForm(forms.ModelForm):
    class Meta:
        model = ServiceProvision
        fields = [
            "service",
            "description",
            "organisation",
            "provider_name",
            "priority",
            "areas",
            "funding_source",
            "annual_value",
            "quality",
            "impact",
            "status",
            "notes",
            "recorded_by",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As on the staff pages: no areas means the service covers the whole district.
        self.fields["areas"].required = False


@admin.register(ServiceProvision)
class ServiceProvisionAdmin(admin.ModelAdmin):
    form = ServiceProvisionAdminForm
    list_display = ["service", "provider_display", "priority", "annual_value", "status"]
    list_filter = ["status", "priority", "quality", "impact"]
    search_fields = ["service", "provider_name", "organisation__name", "funding_source"]
    filter_horizontal = ["areas"]
    raw_id_fields = ["organisation", "recorded_by"]
    readonly_fields = ["updated_at"]

    @admin.display(description="Provider")
    def provider_display(self, service: ServiceProvision) -> str:
        return service.provider_display


@admin.register(Gap)
class GapAdmin(admin.ModelAdmin):
    list_display = ["__str__", "commission", "priority", "area", "severity", "created_at"]
    list_filter = ["severity", "priority"]
    search_fields = ["need", "gap", "opportunity", "commission__title", "commission__reference"]
    raw_id_fields = ["commission", "recorded_by"]
    filter_horizontal = ["evidence"]
    readonly_fields = ["created_at"]
