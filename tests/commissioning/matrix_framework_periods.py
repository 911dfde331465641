"""Framework periods in the role × URL permission matrix: administrators only."""

from tests.matrix import Row, only

ROWS = [
    Row("commissioning:framework-periods", "/staff/framework/periods/", only("admin")),
    Row("commissioning:framework-period-start", "/staff/framework/periods/new/", only("admin")),
]
