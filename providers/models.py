"""Provider organisations: the VCFS and arts organisations that bid and deliver."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class LegalForm(models.TextChoices):
    REGISTERED_CHARITY = "charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CLG = "clg", "Company limited by guarantee"
    CIC = "cic", "Community interest company (CIC)"
    CBS = "cbs", "Community benefit society"
    UNINCORPORATED = "unincorporated", "Unincorporated group or association"
    FAITH_GROUP = "faith", "Faith group"
    OTHER = "other", "Other"


class IncomeBand(models.TextChoices):
    UNDER_10K = "under_10k", "Under £10,000"
    FROM_10K = "10k_100k", "£10,000 to £100,000"
    FROM_100K = "100k_1m", "£100,000 to £1 million"
    OVER_1M = "over_1m", "Over £1 million"


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_status=Organisation.Verification.VERIFIED)

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    """A provider organisation. Its org-id follows org-id.guide (GB-CHC-…, GB-COH-…)."""

    class Verification(models.TextChoices):
        PENDING = "pending", "Waiting for verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Not verified"

    name = models.CharField(max_length=255)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices)
    charity_number = models.CharField(max_length=8, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    ppon = models.CharField(
        "Public Procurement Organisation Number",
        max_length=20,
        blank=True,
        help_text="Given by the Central Digital Platform to suppliers bidding for contracts "
        "under the Procurement Act 2023",
    )
    org_id = models.CharField("organisation identifier", max_length=60, unique=True)
    sector = models.ForeignKey(
        "commissioning.Sector", on_delete=models.PROTECT, related_name="organisations"
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    wards_served = models.ManyToManyField(
        "commissioning.Area", blank=True, related_name="organisations"
    )
    income_band = models.CharField(max_length=20, choices=IncomeBand.choices, blank=True)
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_telephone = models.CharField(max_length=30, blank=True)
    description = models.TextField("what the organisation does", blank=True)
    verification_status = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verification_note = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="unique_charity_number",
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="unique_company_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED


class Membership(models.Model):
    """A person's membership of an organisation; admins manage members."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Organisation admin"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"


class Invitation(models.Model):
    """An organisation admin invites someone by email to join the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.UUIDField(unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"


class JoinRequest(models.Model):
    """Someone asks to join an organisation that is already registered."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.organisation}"


class ComplianceDocument(models.Model):
    """A policy or certificate the council needs to see before funding an organisation."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Safeguarding policy"
        INSURANCE = "insurance", "Public liability insurance"
        ACCOUNTS = "accounts", "Latest accounts"
        CONSTITUTION = "constitution", "Constitution or governing document"
        EQUALITY = "equality", "Equality and diversity policy"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="compliance_documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="compliance/")
    original_name = models.CharField(max_length=255)
    expires_on = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.organisation}"


class PartnerProfile(models.Model):
    """An organisation's offer to be found by lead bidders for consortium bids (the
    framework's "Working Together"): what it offers and where. Found only while
    `findable`."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="partner_profile"
    )
    findable = models.BooleanField(
        "can be found for consortium bids",
        default=True,
        help_text="Lead bidders can find the organisation and invite it into a consortium",
    )
    offer = models.TextField(
        "what the organisation offers a consortium",
        help_text="The services, skills or reach it would bring to a partnership",
    )
    areas = models.ManyToManyField(
        "commissioning.Area", blank=True, related_name="+", verbose_name="where it can work"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation} offers to partner"
