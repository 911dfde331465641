from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class UserManager(BaseUserManager):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("Enter an email address")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: council staff or someone from a provider organisation."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("full name", max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email


# --- Work that leaves the request: the outbox and the emails it sends -----------------------


class Attempted(models.Model):
    """Work done after the request, tried until it succeeds or runs out of attempts
    (core.outbox): how many attempts so far, when the next is due and why the last failed.

    Each concrete model has a `status` field whose WAITING value means "still to do" and
    FAILED "given up", and says in `finish()` what being done means for it.
    """

    WAITING: str
    FAILED: str

    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField("next attempt", default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def finish(self) -> list[str]:
        """Mark the work done; returns the fields changed."""
        raise NotImplementedError


class OutboxTask(Attempted):
    """A Celery task the portal has undertaken to run, written in the same transaction as
    the action that asked for it, and run once that transaction has committed, exactly once
    (core.outbox). Only ids and words go in `args`; the task fetches what it needs."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    WAITING = Status.PENDING
    FAILED = Status.FAILED

    task = models.CharField(max_length=200, help_text="The Celery task's name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbox task"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="core_outboxtask_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.args}"

    def finish(self) -> list[str]:
        self.status = self.Status.DONE
        self.done_at = timezone.now()
        return ["status", "done_at"]


class Email(Attempted):
    """An email the portal sends, to one address: recorded when it is queued, in the same
    transaction as the work that decided to send it, and delivered once that commits, with
    retries (core.emails).

    An email about a bid (its receipt, a consortium partner's invitation) is sealed until
    the opportunity's deadline: until then the admin shows only that it exists and how its
    delivery went.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    WAITING = Status.QUEUED
    FAILED = Status.FAILED

    to = models.EmailField("to", max_length=254)
    template = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=1000)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    sealed_until = models.DateTimeField(
        null=True, blank=True, help_text="The deadline of the bid this email is about."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="core_email_due",
            )
        ]

    def __str__(self) -> str:
        if self.is_sealed():
            return "Email about a sealed bid"
        return f"Email to {self.to}"

    def finish(self) -> list[str]:
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        return ["status", "sent_at"]

    def is_sealed(self, *, now=None) -> bool:
        """About a bid whose opportunity's deadline has not passed yet."""
        return self.sealed_until is not None and self.sealed_until > (now or timezone.now())


# --- Notifications in the portal ------------------------------------------------------------


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something the portal told a person (a reminder, news of their monitoring return),
    made alongside the email that says it: listed on their notifications page, counted in
    the header until they open it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(
        "link", max_length=500, help_text="The portal page it is about: a path on this site."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="core_notification_list"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="core_notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notification_open", kwargs={"pk": self.pk})

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# --- Personal data (UK GDPR): closure requests and what was done (core.retention) -----------


class ClosureRequest(models.Model):
    """A person asks for their account to be closed; an administrator anonymises it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an administrator"
        DONE = "done", "Account closed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="closure_requests"
    )
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="core_one_pending_closure_request",
            )
        ]

    def __str__(self) -> str:
        return f"Closure request {self.pk}"


class PersonalDataEvent(models.Model):
    """That something was done to a person's data (an account anonymised, records past their
    retention period removed), never what was removed."""

    class Kind(models.TextChoices):
        ACCOUNT_ANONYMISED = "account_anonymised", "Account anonymised"
        CLOSURE_REQUESTED = "closure_requested", "Account closure requested"
        DATA_DOWNLOADED = "data_downloaded", "Personal data downloaded"
        RETENTION_APPLIED = "retention_applied", "Retention periods applied"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The id of the account it was about"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it: empty when the portal did it on schedule",
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"


# The audit trail's append-only events live in core/audit.py with what records them.
from core.audit import AuditEvent  # noqa: E402, F401
