"""Alerts of new opportunities: a person subscribes by sector, Corporate Priority and area,
and is emailed once about each opportunity published that matches
(procurement.alerts). The same filter is an Atom feed of its own, at an address with the
alert's token."""

import uuid

from django.conf import settings
from django.db import models


class OpportunityAlert(models.Model):
    """One person's alert. An empty choice of sectors, priorities or areas matches every
    opportunity on it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_alert"
    )
    sectors = models.ManyToManyField("commissioning.Sector", blank=True, related_name="+")
    priorities = models.ManyToManyField(
        "commissioning.CorporatePriority", blank=True, related_name="+"
    )
    areas = models.ManyToManyField("commissioning.Area", blank=True, related_name="+")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Opportunity alert for {self.user}"


class OpportunityAlertSent(models.Model):
    """That a person has been told of an opportunity: written under the unique constraint in
    the transaction that queues the email, so each person hears of each opportunity once,
    however many sweeps run at the same moment."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "user"], name="one_alert_per_opportunity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} told of {self.opportunity}"
