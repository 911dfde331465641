"""Reads for provider organisations: a person's organisations, members, compliance status,
and the council's verification queue."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from providers.models import (
    ComplianceDocument,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    PartnerProfile,
)
from providers.services import normalise_charity_number, normalise_company_number

CURRENT_ORGANISATION_SESSION_KEY = "current_organisation_id"
EXPIRES_SOON_DAYS = 30
SEARCH_LIMIT = 25


# --- The person's organisations ---------------------------------------------------------------


def current_organisation_get(
    request, *, organisations: list[Organisation] | None = None
) -> Organisation | None:
    """The organisation the signed-in person is working for: the one they chose (kept in
    the session) if they still belong to it, otherwise their first by name. None for the
    public and for people with no organisation. Looked up once per request; from
    `organisations` (all of the person's, with their sectors, in name order) when the page
    has read them already."""
    if hasattr(request, "_current_organisation"):
        return request._current_organisation
    organisation = None
    user = request.user
    if user.is_authenticated:
        chosen = request.session.get(CURRENT_ORGANISATION_SESSION_KEY)
        if organisations is not None:
            organisation = next((mine for mine in organisations if mine.pk == chosen), None)
            if organisation is None and organisations:
                organisation = organisations[0]
        else:
            mine = (
                Organisation.objects.for_user(user).select_related("sector").order_by("name", "pk")
            )
            if chosen is not None:
                organisation = mine.filter(pk=chosen).first()
            if organisation is None:
                organisation = mine.first()
    request._current_organisation = organisation
    return organisation


def current_organisation_set(request, *, organisation: Organisation) -> None:
    """Remember the organisation the person works for in their session."""
    request.session[CURRENT_ORGANISATION_SESSION_KEY] = organisation.pk
    request._current_organisation = organisation


def memberships_for_user(*, user) -> QuerySet[Membership]:
    """The person's memberships with their organisations (and sectors), in the organisations'
    name order, for the "Your organisations" page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation__sector")
        .annotate(
            member_count=Count("organisation__memberships", distinct=True),
            pending_request_count=Count(
                "organisation__join_requests",
                filter=Q(organisation__join_requests__status=JoinRequest.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("organisation__name", "organisation__pk")
    )


def join_requests_waiting_for_user(*, user) -> QuerySet[JoinRequest]:
    """The person's own requests to join that no one has decided yet."""
    return JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).select_related(
        "organisation"
    )


def invitations_waiting_for_user(*, user) -> QuerySet[Invitation]:
    """Live invitations sent to the person's email address."""
    return (
        Invitation.objects.filter(
            email__iexact=user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(organisation__memberships__user=user)
        .select_related("organisation")
    )


def organisation_membership_get(*, organisation: Organisation, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(organisation=organisation, user=user).first()


def organisation_for_member_get(*, pk: int, user) -> Organisation:
    """The organisation if the person belongs to it; DoesNotExist otherwise, so that no
    one learns anything about an organisation that is not theirs."""
    return (
        Organisation.objects.for_user(user)
        .select_related("sector", "verified_by")
        .prefetch_related("wards_served")
        .get(pk=pk)
    )


def organisation_get(*, pk: int) -> Organisation:
    return (
        Organisation.objects.select_related("sector", "verified_by")
        .prefetch_related("wards_served")
        .get(pk=pk)
    )


# --- Members ----------------------------------------------------------------------------------


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    """Admins first, then members, by name."""
    return (
        organisation.memberships.select_related("user")
        .annotate(
            admin_first=Case(
                When(role=Membership.Role.ADMIN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("admin_first", "user__full_name", "user__email")
    )


def organisation_invitations_live(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def organisation_join_requests_waiting(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    return (
        organisation.join_requests.filter(status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def organisation_admin_count(*, organisation: Organisation) -> int:
    return organisation.memberships.filter(role=Membership.Role.ADMIN).count()


# --- Finding an organisation to join ----------------------------------------------------------


def organisations_search(*, query: str) -> QuerySet[Organisation]:
    """Registered organisations whose name, charity or company number or org-id matches."""
    query = query.strip()
    if not query:
        return Organisation.objects.none()
    matches = Q(name__icontains=query) | Q(org_id__iexact=query)
    compact = re.sub(r"\s+", "", query)
    if compact.isdigit() or re.fullmatch(r"[A-Za-z]{2}\d+|R0\d+", compact):
        matches |= Q(charity_number=normalise_charity_number(compact))
        matches |= Q(company_number=normalise_company_number(compact))
    return (
        Organisation.objects.filter(matches)
        .select_related("sector")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )


# --- Compliance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceStatus:
    """Where an organisation stands on one kind of compliance document."""

    kind: str
    label: str
    status: str  # not_added, missing, expired, expires_soon, up_to_date
    document: ComplianceDocument | None

    STATUS_LABELS = {
        "not_added": "Not added yet",
        "missing": "Missing",
        "expired": "Expired",
        "expires_soon": "Expires soon",
        "up_to_date": "Up to date",
    }
    STATUS_TAGS = {
        "not_added": "govuk-tag--grey",
        "missing": "govuk-tag--red",
        "expired": "govuk-tag--red",
        "expires_soon": "govuk-tag--yellow",
        "up_to_date": "govuk-tag--green",
    }

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status]

    @property
    def tag_class(self) -> str:
        return self.STATUS_TAGS[self.status]

    @property
    def expires_on(self) -> dt.date | None:
        return self.document.expires_on if self.document else None

    @property
    def needed_for_bidding(self) -> bool:
        """The council needs it before funding a bid; the others are optional."""
        return self.kind in NEEDED_FOR_BIDDING


#: The kinds of compliance document the council needs before it funds a bid.
NEEDED_FOR_BIDDING = frozenset(
    {
        ComplianceDocument.Kind.SAFEGUARDING,
        ComplianceDocument.Kind.INSURANCE,
        ComplianceDocument.Kind.ACCOUNTS,
        ComplianceDocument.Kind.CONSTITUTION,
    }
)


def _document_status(document: ComplianceDocument | None, today: dt.date, *, needed: bool) -> str:
    if document is None:
        return "missing" if needed else "not_added"
    if document.expires_on is None:
        return "up_to_date"
    if document.expires_on < today:
        return "expired"
    if document.expires_on <= today + dt.timedelta(days=EXPIRES_SOON_DAYS):
        return "expires_soon"
    return "up_to_date"


def _best_document(documents: list[ComplianceDocument], today: dt.date):
    """Of several documents of one kind, the one that keeps the organisation compliant
    longest: one without an expiry date, or the latest expiry; then the newest."""
    if not documents:
        return None
    return max(
        documents,
        key=lambda d: (
            d.expires_on is None or d.expires_on >= today,
            d.expires_on or dt.date.max,
            d.uploaded_at,
        ),
    )


def compliance_summary(
    *, documents: list[ComplianceDocument], today: dt.date | None = None, bidding: bool = True
) -> list[ComplianceStatus]:
    """For each of the five kinds, in order: Missing, Expired, Expires soon (within 30
    days) or Up to date, with the document that decides it. `documents` are one
    organisation's (a prefetched list, so lists of organisations stay a fixed number of
    queries).

    A document not added is "Missing" only when bidding needs it and the organisation is
    `bidding` (an opportunity it bids for needs it); otherwise "Not added yet"."""
    today = today or timezone.localdate()
    by_kind: dict[str, list[ComplianceDocument]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    summary = []
    for kind in ComplianceDocument.Kind:
        document = _best_document(by_kind.get(kind.value, []), today)
        summary.append(
            ComplianceStatus(
                kind=kind.value,
                label=kind.label,
                status=_document_status(
                    document, today, needed=bidding and kind in NEEDED_FOR_BIDDING
                ),
                document=document,
            )
        )
    return summary


def organisation_is_bidding(*, organisation: Organisation) -> bool:
    """The organisation has a bid that is not withdrawn: the opportunity needs its
    compliance documents."""
    return organisation.bids.exclude(state="withdrawn").exists()


def organisation_compliance_summary(
    *, organisation: Organisation, today: dt.date | None = None
) -> list[ComplianceStatus]:
    return compliance_summary(
        documents=list(organisation.compliance_documents.all()),
        today=today,
        bidding=organisation_is_bidding(organisation=organisation),
    )


def compliance_documents_list(*, organisation: Organisation) -> QuerySet[ComplianceDocument]:
    return organisation.compliance_documents.select_related("uploaded_by").order_by(
        "kind", "-uploaded_at"
    )


def compliance_document_get(*, organisation: Organisation, pk: int) -> ComplianceDocument:
    return organisation.compliance_documents.select_related("uploaded_by").get(pk=pk)


# --- Staff: verification ----------------------------------------------------------------------


def organisations_staff_list(*, status: str = "", sector=None) -> QuerySet[Organisation]:
    """Every organisation, those waiting for verification first, then by name, with
    their members counted and compliance documents prefetched."""
    organisations = Organisation.objects.all()
    if status:
        organisations = organisations.filter(verification_status=status)
    if sector is not None:
        organisations = organisations.filter(sector=sector)
    return (
        organisations.select_related("sector")
        .annotate(
            member_count=Count("memberships", distinct=True),
            pending_first=Case(
                When(verification_status=Organisation.Verification.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .prefetch_related(
            Prefetch(
                "compliance_documents",
                queryset=ComplianceDocument.objects.only(
                    "id", "organisation_id", "kind", "expires_on", "uploaded_at"
                ),
            )
        )
        .order_by("pending_first", "name", "pk")
    )


def organisation_status_counts(*, queryset: QuerySet[Organisation] | None = None) -> dict:
    """How many organisations are at each verification status, and in all."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    rows = queryset.order_by().values("verification_status").annotate(n=Count("pk"))
    counts = dict.fromkeys(Organisation.Verification.values, 0)
    for row in rows:
        counts[row["verification_status"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


# --- Working Together: organisations offering to partner -------------------------------------


def partner_profile_get(*, organisation: Organisation):
    return (
        PartnerProfile.objects.filter(organisation=organisation).prefetch_related("areas").first()
    )


def partners_findable(*, offer: str = "", area=None, exclude=(), limit: int = 20):
    """Organisations that offer to be found for consortium bids, not refused verification,
    whose offer mentions `offer` and that work in `area` (or one of its wards): each with
    its profile and areas, in a fixed number of queries."""
    from commissioning.models import Area

    profiles = PartnerProfile.objects.filter(findable=True).exclude(
        organisation__verification_status=Organisation.Verification.REJECTED
    )
    if exclude:
        profiles = profiles.exclude(organisation__in=list(exclude))
    if offer:
        profiles = profiles.filter(
            Q(offer__icontains=offer) | Q(organisation__name__icontains=offer)
        )
    if area is not None:
        places = Area.objects.filter(Q(pk=area.pk) | Q(parent=area)).values("pk")
        profiles = profiles.filter(areas__in=places).distinct()
    return list(
        profiles.select_related("organisation")
        .prefetch_related("areas")
        .order_by("organisation__name")[:limit]
    )
