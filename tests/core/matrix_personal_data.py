"""Permission matrix rows for personal data: a person's own download and closure request
(anyone signed in), and the administrators' closure requests (core.personal_data_views)."""

from core.models import ClosureRequest
from tests.factories import UserFactory
from tests.matrix import SIGN_IN, Row, only, signed_in


def _closure_request(user) -> str:
    someone = UserFactory(email="closing@matrix.example.org")
    request, _ = ClosureRequest.objects.get_or_create(
        user=someone, status=ClosureRequest.Status.PENDING, defaults={"reason": "Moving away"}
    )
    return f"/staff/closure-requests/{request.pk}/anonymise/"


ROWS = [
    Row("core:account_data", "/account/data/", signed_in(200)),
    Row("core:account_close", "/account/close/", signed_in(200)),
    Row(
        "core:account_close_post",
        "/account/close/",
        {**signed_in(302), "public": SIGN_IN},
        method="post",
        data={"reason": "I no longer need it"},
    ),
    Row("core:closure_requests", "/staff/closure-requests/", only("admin")),
    Row("core:closure_request_anonymise", _closure_request, only("admin")),
    Row(
        "core:closure_request_anonymise_post",
        _closure_request,
        only("admin", status=302),
        method="post",
    ),
]
