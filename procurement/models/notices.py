"""The Procurement Act 2023, for contracts (grants are outside it and keep their rules): the
notices the council publishes on the Central Digital Platform, recorded against the
opportunity — the tender notice, the contract award notice (whose publication starts the
standstill period, s.51) and each contract's contract details notice."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

#: A contract whose value, including VAT, is this or more needs a tender notice (the
#: opportunity's budget is taken as the contract's estimated value including VAT).
TENDER_NOTICE_THRESHOLD = Decimal("30000")


class NoticeKind(models.TextChoices):
    TENDER = "tender", "Tender notice"
    CONTRACT_AWARD = "contract_award", "Contract award notice"
    CONTRACT_DETAILS = "contract_details", "Contract details notice"


class ProcurementNotice(models.Model):
    """A notice published on the Central Digital Platform for a contract opportunity. One
    tender notice and one contract award notice per opportunity; one contract details
    notice per contract (agreement)."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.PROTECT, related_name="notices"
    )
    agreement = models.OneToOneField(
        "procurement.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="details_notice",
        help_text="Contract details notices only: the contract it is about",
    )
    kind = models.CharField("type of notice", max_length=20, choices=NoticeKind.choices)
    identifier = models.CharField(
        "notice identifier", max_length=60, help_text="As the Central Digital Platform shows it"
    )
    published_on = models.DateField("date published")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["published_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "kind"],
                condition=~Q(kind="contract_details"),
                name="one_tender_and_award_notice",
            ),
            models.CheckConstraint(
                condition=Q(kind="contract_details", agreement__isnull=False)
                | (~Q(kind="contract_details") & Q(agreement__isnull=True)),
                name="details_notice_names_its_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}"
