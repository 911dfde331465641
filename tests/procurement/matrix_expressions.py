"""Permission matrix rows for two-stage opportunities: the stages, expressions of interest
and shortlisting.

Expressions of interest are sealed like bids: before their deadline council staff get 403
on everything in one, a provider with no part in it 404; after it, officers and
administrators who have declared no conflict read those received.
"""

from core.roles import Role
from procurement.services.assessment import DeclarationInput
from procurement.services.expressions import shortlist_declarations_record
from tests.matrix import Row, only, signed_in
from tests.procurement.factories_bids import at
from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity

SHORTLISTERS = ("officer", "admin")


def _is(user, *roles: Role) -> bool:
    return user is not None and user.groups.filter(name__in=[r.value for r in roles]).exists()


def own_draft(user):
    expression = ExpressionFactory()
    if _is(user, Role.PROVIDER):
        expression.organisation.memberships.get_or_create(user=user)
    return expression


def someone_elses(user):
    return ExpressionFactory(state="submitted")


def received_after_deadline(user):
    """An expression of interest someone else sent; its deadline passed yesterday; an
    officer or administrator asking has declared no conflict with it."""
    opportunity = two_stage_opportunity(eoi_closes_in=-1)
    expression = ExpressionFactory(opportunity=opportunity, state="submitted")
    if _is(user, Role.OFFICER, Role.ADMINISTRATOR):
        shortlist_declarations_record(
            stage=opportunity.expression_stage,
            user=user,
            declarations=[
                DeclarationInput(organisation=expression.organisation, has_conflict=False)
            ],
        )
    return expression


def url(path: str, make):
    def build(user):
        expression = make(user)
        return path.format(expression=expression, opportunity=expression.opportunity)

    return build


def stage_url(path: str, *, eoi_closes_in: float = 7, draft: bool = False):
    def build(user):
        kwargs = {"published_at": None} if draft else {}
        if eoi_closes_in < 0:
            kwargs.update(opens_at=at(-30, 9), closes_at=at(14, 17))
        opportunity = two_stage_opportunity(eoi_closes_in=eoi_closes_in, **kwargs)
        return path.format(opportunity=opportunity)

    return build


EOI = "/interest/{expression.pk}/"
# Own expression before the deadline: its provider may; staff are sealed out (403).
OWN = only("provider", others=403)
# Someone else's before the deadline: providers 404, staff 403.
OTHERS = {**only(others=403), "provider": 404}
# Received, after the deadline, declared: officers and administrators read it.
AFTER = {**only(*SHORTLISTERS, others=403), "provider": 404}

ROWS = [
    Row(
        "procurement:expression_stage",
        stage_url("/staff/opportunities/{opportunity.pk}/stages/", draft=True),
        only(*SHORTLISTERS),
    ),
    Row(
        "procurement:shortlist_sealed",
        stage_url("/staff/opportunities/{opportunity.pk}/shortlist/"),
        only(*SHORTLISTERS),
    ),
    Row(
        "procurement:shortlist_after_deadline",
        stage_url("/staff/opportunities/{opportunity.pk}/shortlist/", eoi_closes_in=-1),
        only(*SHORTLISTERS),
    ),
    Row(
        "procurement:shortlist_declare",
        stage_url("/staff/opportunities/{opportunity.pk}/shortlist/declare/", eoi_closes_in=-1),
        only(*SHORTLISTERS),
    ),
    Row(
        "procurement:shortlist_send",
        stage_url("/staff/opportunities/{opportunity.pk}/shortlist/send/", eoi_closes_in=-1),
        only(*SHORTLISTERS),
    ),
    Row(
        "procurement:expression_start",
        stage_url("/opportunities/{opportunity.slug}/interest/"),
        signed_in(200),
    ),
    Row("procurement:expression_detail_own", url(EOI, own_draft), OWN),
    Row("procurement:expression_detail_other", url(EOI, someone_elses), OTHERS),
    Row("procurement:expression_detail_after", url(EOI, received_after_deadline), AFTER),
    Row("procurement:expression_edit_own", url(EOI + "edit/", own_draft), OWN),
    Row("procurement:expression_edit_other", url(EOI + "edit/", someone_elses), OTHERS),
    Row("procurement:expression_action_own", url(EOI + "submit/", own_draft), OWN),
    Row("procurement:expression_action_other", url(EOI + "withdraw/", someone_elses), OTHERS),
    Row(
        "procurement:expression_action_shortlist",
        url(EOI + "shortlist/", received_after_deadline),
        AFTER,
    ),
]
