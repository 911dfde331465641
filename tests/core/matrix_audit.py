"""Permission matrix rows for the audit trail: administrators only; the page answers GET
only, so a POST is refused (405) even for them and can change nothing."""

from tests.matrix import Row, only

ROWS = [
    Row("core:audit-trail", "/staff/audit/", only("admin")),
    Row("core:audit-trail-filtered", "/staff/audit/?kind=refused&object_id=1", only("admin")),
    Row(
        "core:audit-trail-post",
        "/staff/audit/",
        {**only("admin", status=405), "public": "sign-in"},
        method="post",
    ),
]
