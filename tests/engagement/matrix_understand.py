"""Permission matrix rows for needs evidence, existing provision and gap analysis.

Officers, approvers and administrators read the records (`engagement.view_records`);
officers and administrators add and change them (`engagement.manage`).
"""

from tests.engagement.factories_understand import (
    EvidenceItemFactory,
    GapFactory,
    ServiceProvisionFactory,
)
from tests.factories import CommissionFactory
from tests.matrix import Row, only

MANAGERS = ("officer", "admin")
READERS = ("officer", "approver", "admin")


def evidence_detail(user) -> str:
    return f"/staff/engagement/evidence/{EvidenceItemFactory().pk}/"


def evidence_edit(user) -> str:
    return f"/staff/engagement/evidence/{EvidenceItemFactory().pk}/edit/"


def evidence_file(user) -> str:
    return f"/staff/engagement/evidence/{EvidenceItemFactory(with_file=True).pk}/file/"


def evidence_create_for_commission(user) -> str:
    commission = CommissionFactory(state="understanding")
    return f"/staff/engagement/evidence/new/?commission={commission.pk}"


def provision_edit(user) -> str:
    return f"/staff/engagement/provision/{ServiceProvisionFactory().pk}/edit/"


def gap_analysis(user) -> str:
    return f"/staff/commissions/{CommissionFactory(state='understanding').pk}/gaps/"


def gap_create(user) -> str:
    return f"/staff/commissions/{CommissionFactory(state='understanding').pk}/gaps/new/"


def gap_edit(user) -> str:
    return f"/staff/gaps/{GapFactory().pk}/edit/"


ROWS = [
    Row("engagement:evidence_list", "/staff/engagement/evidence/", only(*READERS)),
    Row("engagement:evidence_create", "/staff/engagement/evidence/new/", only(*MANAGERS)),
    Row(
        "engagement:evidence_create_for_commission",
        evidence_create_for_commission,
        only(*MANAGERS),
    ),
    Row("engagement:evidence_detail", evidence_detail, only(*READERS)),
    Row("engagement:evidence_update", evidence_edit, only(*MANAGERS)),
    Row("engagement:evidence_file", evidence_file, only(*READERS)),
    Row("engagement:provision_list", "/staff/engagement/provision/", only(*READERS)),
    Row("engagement:provision_create", "/staff/engagement/provision/new/", only(*MANAGERS)),
    Row("engagement:provision_update", provision_edit, only(*MANAGERS)),
    Row("engagement:gap_analysis", gap_analysis, only(*READERS)),
    Row("engagement:gap_create", gap_create, only(*MANAGERS)),
    Row("engagement:gap_update", gap_edit, only(*MANAGERS)),
]
