"""Service design pages in the permission matrix: staff read, the lead officer changes."""

from tests.commissioning.matrix import LEAD_ONLY, _commission
from tests.matrix import Row, only, staff_only


def _specification(user):
    from tests.factories import SpecificationFactory

    return SpecificationFactory(commission=_commission(user, state="planning"))


def _page(name: str):
    return lambda user: f"/staff/specifications/{_specification(user).pk}/{name}"


ROWS = [
    Row("commissioning:spec-detail", _page(""), staff_only(200)),
    Row(
        "commissioning:spec-create",
        lambda user: (
            f"/staff/commissions/{_commission(user, state='planning').pk}/specifications/new/"
        ),
        LEAD_ONLY,
    ),
    Row("commissioning:spec-update", _page("edit/"), LEAD_ONLY),
    Row("commissioning:spec-outcomes", _page("outcomes/"), LEAD_ONLY),
    Row("commissioning:spec-measures", _page("measures/"), LEAD_ONLY),
    Row("commissioning:spec-lots", _page("lots/"), LEAD_ONLY),
    Row("commissioning:spec-criteria", _page("criteria/"), LEAD_ONLY),
    Row("commissioning:spec-success-measures", "/staff/success-measures/", staff_only(200)),
    Row(
        "commissioning:spec-success-measure-create", "/staff/success-measures/new/", only("officer")
    ),
]
