"""Procurement in the admin: opportunities with their questions and documents,
clarification questions, bids (read-only, sealed until the deadline), the score
descriptors (reference data), and read-only views of the panel's declarations, decisions
and agreements. Everyday work happens in the portal's own pages, which keep the records'
rules (who may score, approve, accept); the admin never changes them."""

from django.contrib import admin

from procurement.models import (
    Agreement,
    AgreementVersion,
    AwardDecision,
    Bid,
    BidAnswer,
    BidAttachment,
    BudgetLine,
    Clarification,
    ConflictDeclaration,
    ConsortiumPartner,
    Opportunity,
    OpportunityDocument,
    Question,
    ScoreDescriptor,
    Variation,
)
from procurement.rules import view_bid_content


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["order", "criterion", "service_criterion", "text", "guidance", "word_limit", "weight"]
    raw_id_fields = ["service_criterion"]
    extra = 0


class OpportunityDocumentInline(admin.TabularInline):
    model = OpportunityDocument
    fields = ["title", "file", "original_name", "uploaded_at"]
    readonly_fields = ["file", "original_name", "uploaded_at"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the portal, which checks what a file contains


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "funding_type", "opens_at", "closes_at", "published_at"]
    list_filter = ["funding_type", "specification__commission__sector"]
    search_fields = ["reference", "title", "summary"]
    date_hierarchy = "closes_at"
    ordering = ["-created_at"]
    raw_id_fields = ["specification", "lot", "created_by"]
    filter_horizontal = ["workshops"]
    readonly_fields = ["reference", "created_by", "created_at", "updated_at"]
    inlines = [QuestionInline, OpportunityDocumentInline]


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "short_question", "asked_at", "published_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["question", "published_question", "answer", "opportunity__reference"]
    raw_id_fields = ["opportunity", "asked_by", "organisation", "answered_by"]
    readonly_fields = ["asked_at"]
    ordering = ["-asked_at"]

    @admin.display(description="question")
    def short_question(self, obj: Clarification) -> str:
        return str(obj)


# --- Bids: sealed until the deadline --------------------------------------------------------


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class BidAnswerInline(_ReadOnlyInline):
    model = BidAnswer
    fields = ["question", "text"]
    readonly_fields = fields


class BudgetLineInline(_ReadOnlyInline):
    model = BudgetLine
    fields = ["item", "amount"]
    readonly_fields = fields


class ConsortiumPartnerInline(_ReadOnlyInline):
    model = ConsortiumPartner
    fields = ["organisation", "role", "confirmed_at", "confirmed_by"]
    readonly_fields = fields


class BidAttachmentInline(_ReadOnlyInline):
    """Names and sizes only: files are opened through the portal's permission-checked view."""

    model = BidAttachment
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    """Bids, read-only. Until an opportunity's deadline its bids are sealed: the list shows
    only that they exist (reference, organisation, opportunity, state) and nobody – not even
    a superuser – can open one. After the deadline a bid that was received can be read.
    Bids change only through the portal, which keeps every submitted version."""

    list_display = ["reference", "organisation", "opportunity", "state"]
    list_filter = ["state"]
    search_fields = ["reference", "organisation__name", "opportunity__reference"]
    list_select_related = ["organisation", "opportunity"]
    ordering = ["-created_at"]
    fields = [
        "reference",
        "opportunity",
        "organisation",
        "state",
        "title",
        "amount_requested",
        "match_funding",
        "match_funding_sources",
        "other_leverage",
        "created_by",
        "created_at",
        "submitted_at",
    ]
    readonly_fields = fields
    inlines = [BidAnswerInline, BudgetLineInline, ConsortiumPartnerInline, BidAttachmentInline]

    def get_queryset(self, request):
        # The changelist's columns say nothing about a bid's content; sealed bids' content
        # fields are left out of the query altogether.
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "opportunity")
            .defer("title", "amount_requested", "match_funding", "match_funding_sources")
            .defer("other_leverage")
        )

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None and not view_bid_content.test(request.user, obj):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Assessment, decisions and agreements ---------------------------------------------------


@admin.register(ScoreDescriptor)
class ScoreDescriptorAdmin(admin.ModelAdmin):
    """What each panel score means: shown beside every score on the panel's pages."""

    list_display = ["score", "label", "description"]
    ordering = ["score"]

    def has_add_permission(self, request) -> bool:
        return False  # the six scores 0 to 5 are loaded; only their words change

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """A record kept as evidence: it is read here and changed only through the portal."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(_ReadOnlyAdmin):
    list_display = ["panel_member", "organisation", "has_conflict", "kind", "declared_at"]
    list_filter = ["has_conflict", "kind"]
    search_fields = ["organisation__name", "panel_member__user__email"]
    list_select_related = ["panel_member__user", "panel_member__opportunity", "organisation"]


@admin.register(AwardDecision)
class AwardDecisionAdmin(_ReadOnlyAdmin):
    list_display = ["bid", "outcome", "amount", "decided_on", "standstill_ends_on"]
    list_filter = ["outcome", ("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["bid__reference", "bid__organisation__name"]
    list_select_related = ["bid__organisation"]


class AgreementVersionInline(_ReadOnlyInline):
    model = AgreementVersion
    fields = ["number", "created_at", "created_by", "variation"]
    readonly_fields = fields


@admin.register(Agreement)
class AgreementAdmin(_ReadOnlyAdmin):
    list_display = ["reference", "decision", "amount", "starts_on", "ends_on", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["reference", "decision__bid__organisation__name"]
    list_select_related = ["decision__bid__organisation"]
    inlines = [AgreementVersionInline]


@admin.register(Variation)
class VariationAdmin(_ReadOnlyAdmin):
    list_display = ["agreement", "number", "state", "proposed_at", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["agreement"]
