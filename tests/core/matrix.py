from tests.matrix import Row, everyone, signed_in

ROWS = [
    Row("core:healthz", "/healthz", everyone(200)),
    Row("core:accessibility", "/accessibility/", everyone(200)),
    Row("core:privacy", "/privacy/", everyone(200)),
    Row("core:cookies", "/cookies/", everyone(200)),
    Row("core:login", "/accounts/login/", {"public": 200}),
    Row("core:signup", "/accounts/signup/", {"public": 200}),
    Row("core:password-reset", "/accounts/password/reset/", everyone(200)),
    Row("core:after-login", "/signed-in/", {**signed_in(302)}),
    Row(
        "core:admin",
        "/admin/",
        {
            "public": 302,
            "provider": 302,
            "panel": 302,
            "officer": 302,
            "approver": 302,
            "admin": 200,
        },
    ),
]
