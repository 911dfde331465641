"""The options appraisal in the permission matrix: staff read it, the lead officer changes it."""

from tests.commissioning.matrix import LEAD_ONLY, _commission
from tests.matrix import Row, staff_only


def _option(user, state="planning", lead=True):
    from tests.factories import OptionFactory

    return OptionFactory(commission=_commission(user, state=state, lead=lead))


def _appraisal(user, state="planning"):
    return f"/staff/commissions/{_commission(user, state=state).pk}/options/"


ROWS = [
    Row("commissioning:options-appraisal", _appraisal, staff_only(200)),
    Row(
        "commissioning:options-appraisal-locked",
        lambda user: _appraisal(user, state="plan_approval"),
        staff_only(200),
    ),
    Row("commissioning:options-create", lambda user: f"{_appraisal(user)}new/", LEAD_ONLY),
    Row(
        "commissioning:options-update",
        lambda user: f"/staff/options/{_option(user).pk}/edit/",
        LEAD_ONLY,
    ),
    Row(
        "commissioning:options-recommend",
        lambda user: f"/staff/options/{_option(user).pk}/recommend/",
        LEAD_ONLY,
    ),
    # Past planning the lead officer is sent back to the read-only appraisal.
    Row(
        "commissioning:options-create-locked",
        lambda user: f"{_appraisal(user, state='plan_approval')}new/",
        {**LEAD_ONLY, "officer": 302},
    ),
    Row(
        "commissioning:options-update-locked",
        lambda user: f"/staff/options/{_option(user, state='approved').pk}/edit/",
        {**LEAD_ONLY, "officer": 302},
    ),
    # An officer who does not lead the commission may read but not change it.
    Row(
        "commissioning:options-update-not-lead",
        lambda user: f"/staff/options/{_option(user, lead=False).pk}/edit/",
        {**LEAD_ONLY, "officer": 403},
    ),
    Row(
        "commissioning:options-recommend-not-lead",
        lambda user: f"/staff/options/{_option(user, lead=False).pk}/recommend/",
        {**LEAD_ONLY, "officer": 403},
    ),
]
