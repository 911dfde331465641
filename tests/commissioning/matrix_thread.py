"""The golden thread in the role × URL permission matrix.

A specification's thread answers everyone for a specification in a published plan (the
public, providers and panel members read its published parts); for one in no published
plan, only officers, approvers and administrators, who read all of it. The threads forward
from a gap or a piece of evidence are for them alone.
"""

from tests.matrix import Row, everyone, only

WHOLE = ("officer", "approver", "admin")


def _specification(plan_state: str):
    def url(user):
        from tests.factories import PlanFactory, SpecificationFactory

        specification = SpecificationFactory()
        PlanFactory(state=plan_state, specifications=[specification])
        return f"/thread/specifications/{specification.pk}/"

    return url


def _gap(user):
    from commissioning.models import CorporatePriority
    from engagement.models import Gap
    from tests.factories import CommissionFactory

    gap = Gap.objects.create(
        commission=CommissionFactory(),
        priority=CorporatePriority.objects.first(),
        need="Need",
        current_provision="None",
        gap="A gap",
        opportunity="An opportunity",
        severity=Gap.Severity.HIGH,
    )
    return f"/staff/thread/gaps/{gap.pk}/"


def _evidence(user):
    from tests.engagement.factories_understand import EvidenceItemFactory
    from tests.factories import CommissionFactory

    evidence = EvidenceItemFactory(commissions=[CommissionFactory()])
    return f"/staff/thread/evidence/{evidence.pk}/"


ROWS = [
    Row("commissioning:thread-specification-published", _specification("published"), everyone()),
    Row("commissioning:thread-specification-superseded", _specification("superseded"), everyone()),
    Row(
        "commissioning:thread-specification-draft",
        _specification("draft"),
        {**everyone(404), **dict.fromkeys(WHOLE, 200)},
    ),
    Row("commissioning:thread-specification-missing", "/thread/specifications/0/", everyone(404)),
    Row("commissioning:thread-gap", _gap, only(*WHOLE)),
    Row("commissioning:thread-gap-missing", "/staff/thread/gaps/0/", only(*WHOLE, status=404)),
    Row("commissioning:thread-evidence", _evidence, only(*WHOLE)),
    Row(
        "commissioning:thread-evidence-missing",
        "/staff/thread/evidence/0/",
        only(*WHOLE, status=404),
    ),
]
