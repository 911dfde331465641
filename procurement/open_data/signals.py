"""The open-data files are forgotten once anything they publish has been saved and
committed: an award decision (approved), an agreement (made, sent, accepted, varied), a
variation, an opportunity (an invitation to tender), a plan (a programme's page), a
commission (a programme's title and wards), an area, an organisation (a recipient) or a
monitoring return (the outcomes achieved, once it is accepted)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from commissioning.models import Area, Commission, CommissioningPlan
from monitoring.models import MonitoringReturn
from procurement.models import Agreement, AwardDecision, Opportunity, Variation
from procurement.open_data.publish import open_data_forget
from providers.models import Organisation

PUBLISHED_MODELS = [
    AwardDecision,
    Agreement,
    Variation,
    Opportunity,
    CommissioningPlan,
    Commission,
    Area,
    Organisation,
    MonitoringReturn,
]


def _forget_after_commit(sender, **kwargs) -> None:
    transaction.on_commit(open_data_forget, robust=True)


for model in PUBLISHED_MODELS:
    post_save.connect(_forget_after_commit, sender=model, dispatch_uid=f"open-data-{model}")
    post_delete.connect(
        _forget_after_commit, sender=model, dispatch_uid=f"open-data-delete-{model}"
    )
for through in (Commission.areas.through, CommissioningPlan.specifications.through):
    m2m_changed.connect(_forget_after_commit, sender=through, dispatch_uid=f"open-data-{through}")
