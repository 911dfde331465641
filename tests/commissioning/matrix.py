from tests.matrix import Row, everyone, only, staff_only

ROWS = [
    Row("commissioning:home", "/", everyone(200)),
    Row("commissioning:framework", "/framework/", everyone(200)),
    Row("commissioning:glossary", "/framework/glossary/", everyone(200)),
    Row("commissioning:staff", "/staff/", staff_only(200)),
]


def _commission(user, state="understanding", lead=True):
    from commissioning.models import Commission
    from tests.factories import CommissionFactory

    lead_officer = (
        user
        if (lead and user is not None and user.groups.filter(name="Commissioning officer").exists())
        else None
    )
    kwargs = {"state": state}
    if lead_officer is not None:
        kwargs["lead_officer"] = lead_officer
    commission: Commission = CommissionFactory(**kwargs)
    return commission


LEAD_ONLY = {
    "public": "sign-in",
    "provider": 403,
    "panel": 403,
    "officer": 200,
    "approver": 403,
    "admin": 403,
}

ROWS += [
    Row("commissioning:create", "/staff/commissions/new/", only("officer")),
    Row(
        "commissioning:detail",
        lambda user: _commission(user).get_absolute_url(),
        staff_only(200),
    ),
    Row(
        "commissioning:update",
        lambda user: f"{_commission(user).get_absolute_url()}edit/",
        LEAD_ONLY,
    ),
    Row(
        "commissioning:action-lead",
        lambda user: (
            f"{_commission(user, state='draft').get_absolute_url()}actions/start_understanding/"
        ),
        LEAD_ONLY,
    ),
    Row(
        "commissioning:action-approve",
        lambda user: (
            f"{_commission(user, state='plan_approval').get_absolute_url()}actions/approve_plan/"
        ),
        only("approver"),
    ),
    Row(
        "commissioning:action-cancel",
        lambda user: f"{_commission(user, state='draft').get_absolute_url()}actions/cancel/",
        {**LEAD_ONLY, "approver": 200},
    ),
]
