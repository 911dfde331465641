"""Permission matrix rows for monitoring returns, RAG statuses and payments.

The provider organisation's members see and change their own returns (once the agreement
is accepted); officers review them and set RAG and payments; approvers and administrators
read. Panel members have no part in monitoring (403). A provider gets 404 for every return,
evidence file and agreement of another organisation. Where a row says "own", the provider
column's person is made a member of the agreement's organisation.
"""

from django.core.files.base import ContentFile

from core.roles import Role
from monitoring.models import ReturnAttachment, ReturnState
from providers.models import Membership
from tests.matrix import Row, only, signed_in
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put
from tests.procurement.factories_bids import PDF_BYTES

READERS = ("officer", "approver", "admin")
READ = only(*READERS, "provider", others=403)
SOMEONE_ELSES = {**READ, "provider": 404}
PROVIDER_ONLY = only("provider", others=403)
OFFICER_ONLY = only("officer", others=403)


def _is_provider(user) -> bool:
    return user is not None and user.groups.filter(name=Role.PROVIDER.value).exists()


def _return(user, *, own: bool, state: str = ReturnState.DUE):
    """The first return of an agreement in delivery, in `state` with its evidence; a
    provider asking is made a member of its organisation when `own`."""
    made = agreement_in_delivery(months=12)
    if own and _is_provider(user):
        Membership.objects.update_or_create(
            organisation=made.organisation, user=user, defaults={"role": Membership.Role.MEMBER}
        )
    monitoring_return = made.agreement.monitoring_returns.first()
    if state != ReturnState.DUE:
        return_filled(monitoring_return)
        attachment = ReturnAttachment(
            monitoring_return=monitoring_return,
            original_name="register.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
        )
        attachment.file.save("stored.pdf", ContentFile(PDF_BYTES), save=False)
        attachment.save()
        return_put(monitoring_return, state)
    return monitoring_return


def url(path: str, *, own: bool = True, state: str = ReturnState.DUE):
    def build(user):
        monitoring_return = _return(user, own=own, state=state)
        return path.format(
            r=monitoring_return,
            agreement=monitoring_return.agreement,
            attachment=monitoring_return.attachments.first(),
            instalment=monitoring_return.agreement.payments.first(),
        )

    return build


ROWS = [
    Row("monitoring:my_returns", "/returns/", signed_in(200)),
    Row("monitoring:return_detail", url("/returns/{r.pk}/"), READ),
    Row(
        "monitoring:return_detail (another organisation's)",
        url("/returns/{r.pk}/", own=False),
        SOMEONE_ELSES,
    ),
    Row("monitoring:return_edit", url("/returns/{r.pk}/edit/"), PROVIDER_ONLY),
    Row(
        "monitoring:return_edit (another organisation's)",
        url("/returns/{r.pk}/edit/", own=False),
        {**PROVIDER_ONLY, "provider": 404},
    ),
    Row(
        "monitoring:return_edit (a POST, another organisation's)",
        url("/returns/{r.pk}/edit/", own=False, state=ReturnState.DRAFT),
        {**PROVIDER_ONLY, "provider": 404},
        method="post",
        data={"outcomes_narrative": "Overwritten", "draft": ""},
    ),
    Row(
        "monitoring:return_evidence",
        url("/returns/{r.pk}/evidence/", state=ReturnState.DRAFT),
        PROVIDER_ONLY,
    ),
    Row(
        "monitoring:return_evidence (another organisation's)",
        url("/returns/{r.pk}/evidence/", own=False, state=ReturnState.DRAFT),
        {**PROVIDER_ONLY, "provider": 404},
    ),
    Row(
        "monitoring:return_evidence_file",
        url("/returns/{r.pk}/evidence/{attachment.pk}/", state=ReturnState.SUBMITTED),
        READ,
    ),
    Row(
        "monitoring:return_evidence_file (another organisation's)",
        url("/returns/{r.pk}/evidence/{attachment.pk}/", own=False, state=ReturnState.SUBMITTED),
        SOMEONE_ELSES,
    ),
    Row(
        "monitoring:return_version",
        url("/returns/{r.pk}/versions/1/", state=ReturnState.SUBMITTED),
        READ,
    ),
    Row(
        "monitoring:return_version (another organisation's)",
        url("/returns/{r.pk}/versions/1/", own=False, state=ReturnState.SUBMITTED),
        SOMEONE_ELSES,
    ),
    Row(
        "monitoring:return_transition (start)",
        url("/returns/{r.pk}/actions/start/"),
        PROVIDER_ONLY,
    ),
    Row(
        "monitoring:return_transition (submit)",
        url("/returns/{r.pk}/actions/submit/", state=ReturnState.DRAFT),
        PROVIDER_ONLY,
    ),
    Row(
        "monitoring:return_transition (submit, another organisation's)",
        url("/returns/{r.pk}/actions/submit/", own=False, state=ReturnState.DRAFT),
        {**PROVIDER_ONLY, "provider": 404},
    ),
    Row(
        "monitoring:return_transition (accept)",
        url("/returns/{r.pk}/actions/accept/", state=ReturnState.SUBMITTED),
        OFFICER_ONLY,
    ),
    Row(
        "monitoring:return_transition (request changes)",
        url("/returns/{r.pk}/actions/request_changes/", state=ReturnState.SUBMITTED),
        OFFICER_ONLY,
    ),
    Row(
        "monitoring:return_transition (request changes, another organisation's)",
        url("/returns/{r.pk}/actions/request_changes/", own=False, state=ReturnState.SUBMITTED),
        {**OFFICER_ONLY, "provider": 404},
    ),
    Row("monitoring:staff_returns", "/staff/returns/", only(*READERS, others=403)),
    Row(
        "monitoring:agreement_monitoring",
        url("/staff/agreements/{agreement.pk}/monitoring/"),
        only(*READERS, others=403),
    ),
    Row(
        "monitoring:agreement_monitoring (another organisation's)",
        url("/staff/agreements/{agreement.pk}/monitoring/", own=False),
        {**only(*READERS, others=403), "provider": 404},
    ),
    Row("monitoring:rag_set", url("/staff/agreements/{agreement.pk}/rag/"), OFFICER_ONLY),
    Row(
        "monitoring:rag_set (another organisation's)",
        url("/staff/agreements/{agreement.pk}/rag/", own=False),
        {**OFFICER_ONLY, "provider": 404},
    ),
    Row(
        "monitoring:payment_paid",
        url("/staff/agreements/{agreement.pk}/payments/{instalment.pk}/paid/"),
        OFFICER_ONLY,
    ),
    Row(
        "monitoring:payment_hold",
        url("/staff/agreements/{agreement.pk}/payments/{instalment.pk}/hold/"),
        OFFICER_ONLY,
    ),
    Row(
        "monitoring:payment_hold (another organisation's)",
        url("/staff/agreements/{agreement.pk}/payments/{instalment.pk}/hold/", own=False),
        {**OFFICER_ONLY, "provider": 404},
    ),
]
