from tests.matrix import Row, everyone, staff_only

ROWS = [
    Row("commissioning:home", "/", everyone(200)),
    Row("commissioning:framework", "/framework/", everyone(200)),
    Row("commissioning:glossary", "/framework/glossary/", everyone(200)),
    Row("commissioning:staff", "/staff/", staff_only(200)),
]
