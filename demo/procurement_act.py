"""Demo of the Procurement Act 2023 for the Dial-a-ride contract: its tender notice on the
Central Digital Platform, recorded the day the opportunity opened (the contract is worth
£30,000 or more including VAT), and the Public Procurement Organisation Numbers of the
organisations that bid for it. The conflicts assessment before publication is made as the
opportunity is published (`demo.opportunities`).

Idempotent: a notice already recorded, or a PPON already given, is left as it is.
"""

import datetime as dt

from django.utils import timezone

from core.models import User
from demo.bids import CARERS, CARNFORTH, LUNE_VALLEY, SKERTON
from procurement.models import NoticeKind, Opportunity
from procurement.services.notices import notice_record
from providers.models import Organisation

CONTRACT = "Dial-a-ride for the Lune Valley"

# Made-up numbers in the Central Digital Platform's shape, for the organisations that bid.
PPONS = {
    LUNE_VALLEY: "PLVC-4821-KTRA",
    CARNFORTH: "PCYH-7304-LUNE",
    SKERTON: "PSKC-1937-HUBS",
    CARERS: "PMBC-5510-CARE",
}


def demo_procurement_act_seed(*, officer: User) -> None:
    for name, ppon in PPONS.items():
        Organisation.objects.filter(name=name, ppon="").update(ppon=ppon)
    opportunity = Opportunity.objects.filter(title=CONTRACT).first()
    if opportunity is None or opportunity.notices.filter(kind=NoticeKind.TENDER).exists():
        return
    opened: dt.date = timezone.localdate(opportunity.opens_at)
    notice_record(
        opportunity=opportunity,
        kind=NoticeKind.TENDER,
        identifier=f"{opened.year}/S 000-0{opportunity.pk:05d}",
        published_on=opened,
        recorded_by=officer,
    )
