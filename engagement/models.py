"""Understand: engagement, local needs assessment, existing provision and gap analysis."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class EngagementEvent(models.Model):
    """A workshop, meeting, survey or drop-in where the council listens."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        MEETING = "meeting", "Meeting"
        SURVEY = "survey", "Survey"
        DROP_IN = "drop_in", "Drop-in session"
        APPLICANT_WORKSHOP = "applicant_workshop", "Applicant workshop"

    class Audience(models.TextChoices):
        PROVIDERS = "providers", "Voluntary, community, faith and arts organisations"
        PUBLIC = "public", "Residents and the public"
        COMMUNITIES = "communities", "Community groups and representatives"
        EVERYONE = "everyone", "Everyone"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    description = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    online_url = models.URLField("online link", blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty if there is no limit on places"
    )
    accessibility = models.TextField("access information", blank=True)
    commissions = models.ManyToManyField(
        "commissioning.Commission", blank=True, related_name="engagement_events"
    )
    priorities = models.ManyToManyField(
        "commissioning.CorporatePriority", blank=True, related_name="engagement_events"
    )
    areas = models.ManyToManyField(
        "commissioning.Area", blank=True, related_name="engagement_events"
    )
    is_published = models.BooleanField(default=False)
    bookings_open = models.BooleanField(default=True)
    notes = models.TextField("notes from the event", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:event_detail", kwargs={"pk": self.pk})


class Booking(models.Model):
    """A place at an engagement event booked by a signed-in person."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(EngagementEvent, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_bookings"
    )
    organisation = models.ForeignKey(
        "providers.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_bookings",
    )
    access_needs = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    attended = models.BooleanField(null=True, blank=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status="booked"),
                name="one_live_booking_per_person_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


class Feedback(models.Model):
    """What individuals, communities and providers tell the council."""

    class Source(models.TextChoices):
        INDIVIDUAL = "individual", "An individual"
        COMMUNITY = "community", "A community or group"
        PROVIDER = "provider", "A provider organisation"

    commission = models.ForeignKey(
        "commissioning.Commission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    event = models.ForeignKey(
        EngagementEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    given_by = models.CharField("from", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "providers.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_given",
        help_text="The provider user who sent it online",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_recorded",
        help_text="The officer who recorded it",
    )
    summary = models.CharField(max_length=200)
    text = models.TextField("feedback")
    priorities = models.ManyToManyField(
        "commissioning.CorporatePriority", blank=True, related_name="feedback"
    )
    areas = models.ManyToManyField("commissioning.Area", blank=True, related_name="feedback")
    received_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return self.summary


def evidence_upload_to(instance, filename: str) -> str:
    from core.files import safe_storage_name

    return f"evidence/{safe_storage_name(filename)}"


class EvidenceItem(models.Model):
    """A piece of the local needs assessment."""

    class Category(models.TextChoices):
        DEMOGRAPHY = "demography", "Demography"
        ECONOMY = "economy", "Economy"
        SOCIAL = "social", "Social"
        ENVIRONMENTAL = "environmental", "Environmental"
        QUALITATIVE = "qualitative", "Qualitative and local research"
        USER_FEEDBACK = "user_feedback", "User feedback"

    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    source = models.CharField(max_length=200, help_text="Who published or collected it")
    dated = models.DateField("date of the evidence")
    summary = models.TextField()
    url = models.URLField("link", blank=True)
    file = models.FileField(upload_to=evidence_upload_to, blank=True)
    priorities = models.ManyToManyField(
        "commissioning.CorporatePriority", blank=True, related_name="evidence_items"
    )
    areas = models.ManyToManyField("commissioning.Area", blank=True, related_name="evidence_items")
    commissions = models.ManyToManyField(
        "commissioning.Commission", blank=True, related_name="evidence_items"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dated", "title"]

    def __str__(self) -> str:
        return self.title


class Rating(models.IntegerChoices):
    UNKNOWN = 0, "Not known"
    POOR = 1, "Poor"
    ADEQUATE = 2, "Adequate"
    GOOD = 3, "Good"
    EXCELLENT = 4, "Excellent"


class ServiceProvision(models.Model):
    """A service that exists in the district today: the map of existing provision."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        AT_RISK = "at_risk", "At risk"
        CLOSED = "closed", "Closed"

    service = models.CharField("service", max_length=200)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "providers.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        help_text="A registered organisation, if the provider is one",
    )
    provider_name = models.CharField(
        max_length=200, blank=True, help_text="The provider's name if it is not registered here"
    )
    areas = models.ManyToManyField("commissioning.Area", related_name="services")
    priority = models.ForeignKey(
        "commissioning.CorporatePriority", on_delete=models.PROTECT, related_name="services"
    )
    funding_source = models.CharField(max_length=200, blank=True)
    annual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    quality = models.PositiveSmallIntegerField(choices=Rating.choices, default=Rating.UNKNOWN)
    impact = models.PositiveSmallIntegerField(choices=Rating.choices, default=Rating.UNKNOWN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service"]
        verbose_name = "existing service"
        verbose_name_plural = "existing service provision"
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation__isnull=True, provider_name=""),
                name="provision_names_its_provider",
            )
        ]

    def __str__(self) -> str:
        return self.service

    @property
    def provider_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.provider_name


class Gap(models.Model):
    """A gap between need and existing provision, recorded in a commission's gap analysis."""

    class Severity(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    commission = models.ForeignKey(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="gaps"
    )
    priority = models.ForeignKey(
        "commissioning.CorporatePriority", on_delete=models.PROTECT, related_name="gaps"
    )
    area = models.ForeignKey(
        "commissioning.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gaps",
        help_text="Leave empty for a gap across the whole district",
    )
    need = models.TextField()
    current_provision = models.TextField()
    gap = models.TextField()
    opportunity = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="gaps")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority__order", "area__name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.priority}: {self.gap[:60]}"
