"""Eligibility before a bid: the officer turns an opportunity's eligibility into a few
yes/no questions (legal form, area served, annual income band, registered number); an
organisation answers them on a one-page check, which says plainly whether it can apply.
The answers are kept per organisation and opportunity, and a bid from an organisation
that has not passed the check cannot be submitted (`Bid.passes_eligibility`).

An opportunity without an EligibilityRequirement asks no questions.
"""

from django.conf import settings
from django.db import models


class EligibilityRequirement(models.Model):
    """What an opportunity asks of an organisation, set by its officer. An empty list of
    legal forms, areas or income bands asks nothing about it."""

    opportunity = models.OneToOneField(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="eligibility_requirement"
    )
    legal_forms = models.JSONField(
        default=list, blank=True, help_text="The legal forms that may apply (providers.LegalForm)"
    )
    areas = models.ManyToManyField(
        "commissioning.Area",
        blank=True,
        related_name="+",
        help_text="The organisation must serve at least one of these",
    )
    income_bands = models.JSONField(
        default=list,
        blank=True,
        help_text="The annual income bands that may apply (providers.IncomeBand)",
    )
    registered_number_required = models.BooleanField(
        default=False, help_text="The organisation must have a charity or company number"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Eligibility for {self.opportunity}"


class EligibilityCheck(models.Model):
    """An organisation's answers to an opportunity's eligibility questions: the latest,
    one per organisation and opportunity, and whether they pass."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    answers = models.JSONField(default=dict, help_text="Each question's key: true for yes")
    passed = models.BooleanField()
    reasons = models.JSONField(
        default=list, blank=True, help_text="Why the organisation cannot apply, in its words"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"], name="one_eligibility_check_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: eligibility for {self.opportunity}"
