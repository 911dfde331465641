"""Permission matrix rows for agreements and variations.

Officers, approvers and administrators read every agreement; an officer (or an
administrator) prepares and sends it; a provider's members read it once it is sent and its
admins accept it; officers and provider members propose variations; approvers who did not
propose one decide it. Panel members have no part in agreements (403). A provider with no
part in an agreement, or while it is a draft, gets 404. Where a row says "own", the
provider column's person is made an admin of the agreement's organisation.
"""

import rules

from core.roles import Role
from procurement.models import AgreementState
from procurement.services.agreements import PaymentRow, variation_propose
from providers.models import Membership
from tests.matrix import SIGN_IN, Row, only, signed_in
from tests.procurement.factories_agreements import agreement_made

READERS = ("officer", "approver", "admin")


def _is_provider(user) -> bool:
    return user is not None and user.groups.filter(name=Role.PROVIDER.value).exists()


def own(state: str):
    """An agreement in `state`; a provider asking is made an admin of its organisation."""

    def make(user):
        agreement = made_agreement(state)
        if _is_provider(user):
            Membership.objects.update_or_create(
                organisation=agreement.organisation,
                user=user,
                defaults={"role": Membership.Role.ADMIN},
            )
        return agreement

    return make


def someone_elses(state: str):
    return lambda user: made_agreement(state)


def made_agreement(state: str):
    return agreement_made(state=state).agreement


def _variation(agreement, proposer):
    """A year more, with the same payments and targets."""
    return variation_propose(
        agreement=agreement,
        user=proposer,
        reason="A year more",
        ends_on=agreement.ends_on.replace(year=agreement.ends_on.year + 1),
        payments=[PaymentRow(p.due_on, p.amount, p.description) for p in agreement.payments.all()],
        targets={t.pk: t.target for t in agreement.targets.all()},
    )


def variation_url(suffix: str = "", *, by_user: bool = False):
    """A variation proposed on an accepted agreement the provider column owns: by the
    person asking when `by_user` and they may propose, otherwise by the lead officer."""

    def build(user):
        agreement = own(AgreementState.ACCEPTED)(user)
        officer = agreement.bid.opportunity.specification.commission.lead_officer
        proposer = officer
        if (
            by_user
            and user is not None
            and rules.has_perm("procurement.propose_variation", user, agreement)
        ):
            proposer = user
        variation = _variation(agreement, proposer)
        return f"/agreements/{agreement.pk}/variations/{variation.number}/{suffix}"

    return build


def url(path: str, make):
    def build(user):
        agreement = make(user)
        return path.format(agreement=agreement)

    return build


# Read by staff who read agreements and by the provider's members once it is sent.
READ = {**only(*READERS, "provider", others=403)}
# Staff pages that change a draft: officers and administrators; providers cannot even see it.
PREPARE = {**only("officer", "admin", others=403), "provider": 404}

ROWS = [
    Row("procurement:my_agreements", "/agreements/", signed_in(200)),
    Row(
        "procurement:agreement_detail",
        url("/agreements/{agreement.pk}/", own(AgreementState.ISSUED)),
        READ,
    ),
    Row(
        "procurement:agreement_detail (a draft)",
        url("/agreements/{agreement.pk}/", own(AgreementState.DRAFT)),
        {**READ, "provider": 404},
    ),
    Row(
        "procurement:agreement_detail (another organisation's)",
        url("/agreements/{agreement.pk}/", someone_elses(AgreementState.ACCEPTED)),
        {**READ, "provider": 404},
    ),
    Row(
        "procurement:agreement_accept",
        url("/agreements/{agreement.pk}/accept/", own(AgreementState.ISSUED)),
        {
            "public": SIGN_IN,
            "provider": 200,
            "panel": 403,
            "officer": 404,
            "approver": 404,
            "admin": 404,
        },
    ),
    Row(
        "procurement:agreement_accept (another organisation's)",
        url("/agreements/{agreement.pk}/accept/", someone_elses(AgreementState.ISSUED)),
        {"public": SIGN_IN, "provider": 404, "panel": 403},
    ),
    Row(
        "procurement:agreement_pdf",
        url("/agreements/{agreement.pk}/agreement.pdf", own(AgreementState.ACCEPTED)),
        READ,
    ),
    Row(
        "procurement:agreement_pdf (a draft)",
        url("/agreements/{agreement.pk}/agreement.pdf", own(AgreementState.DRAFT)),
        {"public": SIGN_IN, "provider": 404, "panel": 403, "officer": 200},
    ),
    Row(
        "procurement:agreement_version",
        url("/agreements/{agreement.pk}/versions/1/", own(AgreementState.ACCEPTED)),
        READ,
    ),
    Row(
        "procurement:variation_propose",
        url("/agreements/{agreement.pk}/variations/new/", own(AgreementState.ACCEPTED)),
        only("officer", "provider", others=403),
    ),
    Row(
        "procurement:variation_propose (another organisation's)",
        url("/agreements/{agreement.pk}/variations/new/", someone_elses(AgreementState.ACCEPTED)),
        {"public": SIGN_IN, "provider": 404},
    ),
    Row("procurement:variation_detail", variation_url(), READ),
    Row(
        "procurement:variation_transition (approve)",
        variation_url("actions/approve/"),
        only("approver", others=403),
    ),
    Row(
        "procurement:variation_transition (reject)",
        variation_url("actions/reject/"),
        only("approver", others=403),
    ),
    Row(
        "procurement:variation_transition (withdraw, by whoever proposed it)",
        variation_url("actions/withdraw/", by_user=True),
        only("officer", "provider", others=403),
    ),
    Row(
        "procurement:staff_agreements",
        "/staff/agreements/",
        only(*READERS, others=403),
    ),
    Row(
        "procurement:agreement_edit",
        url("/staff/agreements/{agreement.pk}/edit/", own(AgreementState.DRAFT)),
        PREPARE,
    ),
    Row(
        "procurement:agreement_payments",
        url("/staff/agreements/{agreement.pk}/payments/", own(AgreementState.DRAFT)),
        PREPARE,
    ),
    Row(
        "procurement:agreement_transition (issue)",
        url("/staff/agreements/{agreement.pk}/actions/issue/", own(AgreementState.DRAFT)),
        PREPARE,
    ),
    Row(
        "procurement:agreement_transition (withdraw, once sent)",
        url("/staff/agreements/{agreement.pk}/actions/withdraw/", own(AgreementState.ISSUED)),
        only("officer", "admin", others=403),
    ),
]
