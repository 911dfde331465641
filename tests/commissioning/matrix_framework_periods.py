"""Framework periods in the role × URL permission matrix: every period's page is public;
starting a new period is for administrators only."""

from tests.matrix import Row, everyone, only

ROWS = [
    Row(
        "commissioning:framework-period-public",
        "/framework/periods/commissioning-framework-2012-2015/",
        everyone(),
    ),
    Row("commissioning:framework-period-missing", "/framework/periods/none/", everyone(404)),
    Row("commissioning:framework-periods", "/staff/framework/periods/", only("admin")),
    Row("commissioning:framework-period-start", "/staff/framework/periods/new/", only("admin")),
]
