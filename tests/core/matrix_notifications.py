"""Permission matrix rows for notifications: every signed-in person has their own list and
opens only their own notifications (anyone else's is "Page not found")."""

from core.models import Notification
from tests.factories import UserFactory
from tests.matrix import SIGN_IN, Row, signed_in


def _notification_url(*, own: bool):
    def build(user):
        owner = user if (own and user is not None) else UserFactory()
        notification = Notification.objects.create(
            user=owner, title="Your monitoring return is due in 14 days", url="/returns/"
        )
        return f"/notifications/{notification.pk}/"

    return build


ROWS = [
    Row("core:notifications", "/notifications/", signed_in(200)),
    Row("core:notification_open", _notification_url(own=True), signed_in(302)),
    Row(
        "core:notification_open-someone-elses",
        _notification_url(own=False),
        {**signed_in(404), "public": SIGN_IN},
    ),
]
