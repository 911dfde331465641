"""Permission matrix rows for the signed-in person's own account page and their session's
timeout endpoints (core.account_views, core.sessions)."""

from tests.matrix import SIGN_IN, Row, everyone, signed_in

ROWS = [
    Row("core:account", "/account/", signed_in(200)),
    # How long the session has left: the public is told it is not signed in.
    Row("core:session_status", "/session/", everyone(200)),
    Row(
        "core:session_extend",
        "/session/extend/",
        {**signed_in(302), "public": SIGN_IN},
        method="post",
        data={"next": "/"},
    ),
]
