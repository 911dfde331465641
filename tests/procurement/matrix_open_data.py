"""Permission matrix rows for open data: the page and every file are public, for everyone
signed in or not."""

from tests.matrix import Row, everyone
from tests.procurement.factories_decisions import award_make


def _with_an_award(path: str):
    def build(user):
        award_make()
        return path

    return build


ROWS = [
    Row("procurement:open_data", _with_an_award("/open-data/"), everyone(200)),
    Row(
        "procurement:open_data_360giving_json",
        _with_an_award("/open-data/360giving.json"),
        everyone(200),
    ),
    Row(
        "procurement:open_data_360giving_csv",
        _with_an_award("/open-data/360giving.csv"),
        everyone(200),
    ),
    Row(
        "procurement:open_data_360giving_xlsx",
        _with_an_award("/open-data/360giving.xlsx"),
        everyone(200),
    ),
    Row(
        "procurement:open_data_grants_register",
        _with_an_award("/open-data/grants-register.csv"),
        everyone(200),
    ),
    Row(
        "procurement:open_data_contracts_register",
        _with_an_award("/open-data/contracts-register.csv"),
        everyone(200),
    ),
    Row(
        "procurement:open_data_outcomes",
        _with_an_award("/open-data/outcomes.csv"),
        everyone(200),
    ),
]
