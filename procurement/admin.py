"""Procurement in the admin: opportunities with their questions and documents,
clarification questions, bids and expressions of interest (read-only, sealed until their
deadline), the score descriptors (reference data), and read-only views of the panel's
declarations, decisions and agreements, and of the Procurement Act 2023's records (the
notices, the conflicts assessment and the officers' declarations, the shortlist's
declarations, eligibility and alerts). Everyday work happens in the portal's own pages,
which keep the records' rules (who may score, approve, accept); the admin never changes
them.

Bids are sealed until the deadline for everyone, a superuser too, and the admin answers
from URLs as well as pages: `?amount_requested__gt=1000` is a question about a bid. So
the bids admin holds only the bids the person may read (`procurement.view_bid_content`,
as `bids_readable_by`) and filters only on what is not content; every other admin
refuses a lookup that passes through a bid, and no delete page names a sealed bid.
"""

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils import timezone

from procurement.models import (
    Agreement,
    AgreementVersion,
    Assignment,
    AwardDecision,
    Bid,
    BidAnswer,
    BidAttachment,
    BidSubmission,
    BidTarget,
    BudgetLine,
    Clarification,
    ConflictDeclaration,
    ConflictsAssessment,
    ConsortiumPartner,
    EligibilityCheck,
    EligibilityRequirement,
    ExpressionOfInterest,
    ExpressionStage,
    ModeratedScore,
    Opportunity,
    OpportunityAlert,
    OpportunityAlertSent,
    OpportunityDocument,
    ProcurementNotice,
    Question,
    Score,
    ScoreDescriptor,
    ShortlistDeclaration,
    Variation,
)
from procurement.models.conflicts_assessment import OfficerDeclaration
from procurement.rules import view_bid_content, view_expression_content
from procurement.selectors.bids import bids_readable_by
from procurement.selectors.expressions import expressions_readable_by

# --- Sealed bids ----------------------------------------------------------------------------

# Every model that holds what a bidder wrote (the bid, its answers, targets, budget, partners,
# files and submitted versions) or what the panel made of it.
BID_CONTENT_MODELS: frozenset[type[models.Model]] = frozenset(
    {
        Bid,
        BidAnswer,
        BidTarget,
        BudgetLine,
        ConsortiumPartner,
        BidAttachment,
        BidSubmission,
        Assignment,
        Score,
        ModeratedScore,
        # What an organisation wrote in its expression of interest: its own admin page holds
        # only those the person may read, and no lookup reaches it from another.
        ExpressionOfInterest,
    }
)

SEALED_DELETE_MESSAGE = "Bids that are sealed until their deadline"


def lookup_fields(model: type[models.Model], lookup: str) -> list[models.Field]:
    """The fields a URL lookup names, in order, without its lookups and transforms:
    `opportunity__id__exact` on bids names Bid.opportunity then Opportunity.id."""
    fields = []
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        fields.append(field)
        if not field.is_relation or field.related_model is None:
            break
        model = field.related_model
    return fields


def lookup_reaches_bids(model: type[models.Model], lookup: str) -> bool:
    """The lookup passes through a model holding bid content (`?bids__isnull=False` on
    organisations, `?bid__amount_requested__gt=` on decisions)."""
    return any(
        field.is_relation and field.related_model in BID_CONTENT_MODELS
        for field in lookup_fields(model, lookup)
    )


def _bid_id(obj: models.Model) -> int | None:
    if isinstance(obj, Bid):
        return obj.pk
    if isinstance(obj, Score):
        return obj.assignment.bid_id
    return getattr(obj, "bid_id", None)


class SealedBidsGuardMixin:
    """For every admin but the bids' own: no URL lookup through a bid, and a delete page
    that would list a bid the person may not read says only that sealed bids stand in the
    way, never which (the reference and organisation of a bid are sealed too)."""

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if lookup_reaches_bids(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_deleted_objects(self, objs, request):
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        reached = [*collector.protected]
        for model, instances in collector.data.items():
            if model in BID_CONTENT_MODELS:
                reached.extend(instances)
        if any(
            isinstance(obj, ExpressionOfInterest) and not obj.stage.has_closed() for obj in reached
        ):
            return [], {}, set(), [SEALED_DELETE_MESSAGE]
        bid_ids = {_bid_id(obj) for obj in reached if type(obj) in BID_CONTENT_MODELS}
        bid_ids.discard(None)
        if bid_ids:
            readable = set(
                bids_readable_by(user=request.user)
                .filter(pk__in=bid_ids)
                .values_list("pk", flat=True)
            )
            if bid_ids - readable:
                return [], {}, set(), [SEALED_DELETE_MESSAGE]
        return super().get_deleted_objects(objs, request)


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["order", "criterion", "service_criterion", "text", "guidance", "word_limit", "weight"]
    raw_id_fields = ["service_criterion"]
    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        # Bidders answer a published opportunity's questions. (Deleting one with answers
        # would be refused by name of the bids that answered it, which are sealed.)
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)


class OpportunityDocumentInline(admin.TabularInline):
    model = OpportunityDocument
    fields = ["title", "file", "original_name", "uploaded_at"]
    readonly_fields = ["file", "original_name", "uploaded_at"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the portal, which checks what a file contains


@admin.register(Opportunity)
class OpportunityAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
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
class ClarificationAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.model in BID_CONTENT_MODELS:
            queryset = queryset.filter(bid__in=bids_readable_by(user=request.user).values("pk"))
        return queryset

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


class _SealedUntilDeadlineAdmin(admin.ModelAdmin):
    """Read-only, and only the rows the person may read (`readable_by(user=...)`): a sealed
    row is not in the queryset, so no list, search, count or history says anything of it,
    and its pages answer 404. The URL may filter only on `allowed_lookups`, by primary key
    past the first field."""

    actions = None
    allowed_lookups: frozenset[str] = frozenset()

    def readable_by(self, *, user):
        raise NotImplementedError

    def get_queryset(self, request):
        readable = self.readable_by(user=request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=readable)

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        fields = lookup_fields(self.model, lookup)
        if not fields or fields[0].name not in self.allowed_lookups:
            return False
        # Past the first field, only the related object's primary key: `opportunity__id`.
        return all(getattr(field, "primary_key", False) for field in fields[1:])

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A sealed row is not in the queryset: its change, history and delete pages answer
        # as for one that does not exist, 404, without a message naming the id.
        raise Http404("Not found")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Bid)
class BidAdmin(_SealedUntilDeadlineAdmin):
    """Bids, read-only, and only those the person may read: until an opportunity's deadline
    its bids are not here at all, for anyone (a superuser too), so no list, filter, search,
    ordering, count or history can say anything about them; after it, the bids received.
    The URL may filter only on what is not content (`allowed_lookups`). Bids change only
    through the portal, which keeps every submitted version."""

    list_display = ["reference", "organisation", "opportunity", "state"]
    list_filter = ["state"]
    sortable_by = ["reference", "organisation", "opportunity", "state"]
    search_fields = ["reference", "organisation__name", "opportunity__reference"]
    list_select_related = ["organisation", "opportunity"]
    ordering = ["-created_at"]
    actions = None
    # The fields a URL may filter on, by their primary key where they are relations.
    allowed_lookups = frozenset({"state", "opportunity", "organisation"})
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

    def readable_by(self, *, user):
        return bids_readable_by(user=user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "opportunity")

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None and not view_bid_content.test(request.user, obj):
            return False
        return super().has_view_permission(request, obj)


# --- Assessment, decisions and agreements ---------------------------------------------------


@admin.register(ScoreDescriptor)
class ScoreDescriptorAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
    """What each panel score means: shown beside every score on the panel's pages."""

    list_display = ["score", "label", "description"]
    ordering = ["score"]

    def has_add_permission(self, request) -> bool:
        return False  # the six scores 0 to 5 are loaded; only their words change

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
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


@admin.register(ExpressionStage)
class ExpressionStageAdmin(_ReadOnlyAdmin):
    """The expression of interest stage of two-stage opportunities: its deadline, when the
    shortlisting decisions were sent, and how many expressions were received — never what
    they say or who sent them (the expressions' own admin page holds none before then)."""

    list_display = ["opportunity", "closes_at", "received", "decisions_sent_at"]
    fields = ["opportunity", "closes_at", "received", "decisions_sent_at", "decisions_sent_by"]
    readonly_fields = fields
    list_select_related = ["opportunity"]
    ordering = ["-closes_at"]

    def get_queryset(self, request):
        received = models.Count(
            "opportunity__expressions",
            filter=models.Q(
                opportunity__expressions__state__in=["submitted", "shortlisted", "not_shortlisted"]
            ),
        )
        return super().get_queryset(request).annotate(received_count=received)

    @admin.display(description="expressions of interest received")
    def received(self, obj: ExpressionStage) -> int:
        return obj.received_count


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(_SealedUntilDeadlineAdmin):
    """Expressions of interest, read-only, and only those the person may read
    (`procurement.view_expression_content`, as `expressions_readable_by`): before the
    expressions' deadline none, for anyone at the council (a superuser too); after it, those
    received from organisations the person has declared no conflict with."""

    list_display = ["reference", "organisation", "opportunity", "state", "submitted_at"]
    list_filter = ["state"]
    sortable_by = ["reference", "organisation", "opportunity", "state"]
    search_fields = ["reference", "organisation__name", "opportunity__reference"]
    list_select_related = ["organisation", "opportunity"]
    ordering = ["-created_at"]
    allowed_lookups = frozenset({"state", "opportunity", "organisation"})
    fields = [
        "reference",
        "opportunity",
        "organisation",
        "state",
        "summary",
        "amount_estimate",
        "partners",
        "submitted_at",
        "reason",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields

    def readable_by(self, *, user):
        return expressions_readable_by(user=user)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None and not view_expression_content.test(request.user, obj):
            return False
        return super().has_view_permission(request, obj)


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(_SealedUntilDeadlineAdmin):
    """Organisations' eligibility checks, read-only, only once the opportunity's bidding
    has closed: before then, which organisations are thinking of bidding is not told."""

    list_display = ["organisation", "opportunity", "passed", "checked_at"]
    list_filter = ["passed"]
    sortable_by = ["organisation", "opportunity", "passed", "checked_at"]
    search_fields = ["organisation__name", "opportunity__reference"]
    list_select_related = ["organisation", "opportunity"]
    allowed_lookups = frozenset({"passed", "opportunity", "organisation"})
    fields = ["opportunity", "organisation", "answers", "passed", "reasons", "checked_at"]
    readonly_fields = fields

    def readable_by(self, *, user):
        return EligibilityCheck.objects.filter(opportunity__closes_at__lte=timezone.now())


@admin.register(ProcurementNotice)
class ProcurementNoticeAdmin(_ReadOnlyAdmin):
    """The notices recorded as published on the Central Digital Platform: kept as they
    were recorded (the contract award notice started the standstill period)."""

    list_display = ["identifier", "kind", "opportunity", "agreement", "published_on"]
    list_filter = ["kind"]
    search_fields = ["identifier", "opportunity__reference"]
    list_select_related = ["opportunity", "agreement"]
    fields = [
        "opportunity",
        "kind",
        "identifier",
        "published_on",
        "agreement",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields


@admin.register(ConflictsAssessment)
class ConflictsAssessmentAdmin(_ReadOnlyAdmin):
    """The conflicts assessment of each opportunity at each stage (Procurement Act 2023,
    s.83): kept as recorded."""

    list_display = ["opportunity", "stage", "recorded_by", "recorded_at"]
    list_filter = ["stage"]
    search_fields = ["opportunity__reference", "opportunity__title"]
    list_select_related = ["opportunity", "recorded_by"]
    fields = ["opportunity", "stage", "steps_taken", "declared", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("people")

    @admin.display(description="who was involved and declared")
    def declared(self, obj: ConflictsAssessment) -> str:
        return ", ".join(person.get_full_name() for person in obj.people.all())


@admin.register(OfficerDeclaration)
class OfficerDeclarationAdmin(_ReadOnlyAdmin):
    """Officers' and approvers' declarations of interests in an opportunity: never changed
    (a later one is added beside it)."""

    list_display = ["user", "opportunity", "stage", "has_conflict", "declared_at"]
    list_filter = ["stage", "has_conflict"]
    search_fields = ["user__email", "opportunity__reference"]
    list_select_related = ["user", "opportunity"]
    fields = ["opportunity", "user", "stage", "has_conflict", "description", "declared_at"]
    readonly_fields = fields


@admin.register(ShortlistDeclaration)
class ShortlistDeclarationAdmin(_ReadOnlyAdmin):
    """Officers' declarations about the organisations that expressed interest, made after
    the expressions' deadline (so naming them seals nothing)."""

    list_display = ["user", "organisation", "stage", "has_conflict", "kind", "declared_at"]
    list_filter = ["has_conflict", "kind"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation", "stage__opportunity"]
    fields = ["stage", "user", "organisation", "has_conflict", "kind", "description", "declared_at"]
    readonly_fields = fields


@admin.register(EligibilityRequirement)
class EligibilityRequirementAdmin(_ReadOnlyAdmin):
    """What each opportunity asks in its eligibility check: set on the opportunity's own
    page, which keeps it as bidders were told."""

    list_display = ["opportunity", "registered_number_required", "updated_at"]
    list_select_related = ["opportunity"]
    fields = [
        "opportunity",
        "legal_forms",
        "areas",
        "income_bands",
        "registered_number_required",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = fields


@admin.register(OpportunityAlert)
class OpportunityAlertAdmin(SealedBidsGuardMixin, admin.ModelAdmin):
    """People's alerts of new opportunities. Administrators may end one (delete) for a
    person who asks; what it matches is the person's own choice, changed on their page."""

    list_display = ["user", "created_at", "updated_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "sectors", "priorities", "areas", "created_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OpportunityAlertSent)
class OpportunityAlertSentAdmin(_ReadOnlyAdmin):
    """Who has been told of which opportunity: the record that each person hears of each
    opportunity once."""

    list_display = ["user", "opportunity", "sent_at"]
    search_fields = ["user__email", "opportunity__reference"]
    list_select_related = ["user", "opportunity"]
    fields = ["opportunity", "user", "sent_at"]
    readonly_fields = fields
