import datetime as dt
import importlib
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sites.models import Site
from django.dispatch import receiver

from commissioning import reference_data
from core.roles import Role, roles_ensure
from procurement import score_descriptors
from tests.factories import UserFactory

success_measure_library = importlib.import_module(
    "commissioning.migrations.0005_success_measure_library"
)

# The suite's "now": every test starts here (see `clock`). A Thursday, a working day, in
# Greenwich Mean Time, with bank holidays and a year-end ahead of it.
FROZEN_NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/London"))

_run_clock: time_machine.travel | None = None


def pytest_configure(config):
    """From before the test modules are imported until the run ends, the clock starts at
    FROZEN_NOW and runs on: whatever is worked out while collecting (parametrize arguments,
    module constants) or in a session fixture (the test database, the live server, Chromium)
    never sees the machine's date. Each test then stands still on `clock`."""
    global _run_clock
    _run_clock = time_machine.travel(FROZEN_NOW, tick=True)
    _run_clock.start()


def pytest_unconfigure(config):
    if _run_clock is not None:
        _run_clock.stop()


@pytest.fixture(autouse=True)
def clock():
    """The fixed clock, in force for every test: it is 10am on Thursday 26 November 2026 in
    Europe/London for the test, its fixtures, the live server's threads and anything they call
    (`timezone.now()`, `timezone.localdate()`, `datetime.now()`, `date.today()`,
    `time.time()`), whatever the machine's date. Time stands still unless the test moves it:
    `clock.move_to(a_datetime)`, `clock.shift(dt.timedelta(days=1))`. Ask for `clock` by name
    only to move it; never patch `timezone.now` (tests/test_clock.py refuses it).

    Monotonic clocks (`time.monotonic`, `time.sleep`, timeouts) are not frozen, so threads,
    the live server and Playwright's waits work as usual. A test that needs time to pass on
    its own says `clock.move_to(timezone.now(), tick=True)`."""
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        traveller.idle = traveller.shift
        traveller.shift = _signed_in_people_keep_up(traveller.shift)
        traveller.move_to = _signed_in_people_keep_up(traveller.move_to)
        yield traveller


def _signed_in_people_keep_up(move):
    """Sessions end after a while without activity (core.sessions), and sensitive actions ask
    for the password again a few minutes after signing in (core.reauthentication). A test that
    moves the clock tells a story in which time passes, not one in which the people signed in
    sat idle: their sessions' last activity and sign-in move with the clock. A test of idle
    sessions lets time pass without them with `clock.idle(delta)`."""

    def moved(*args, **kwargs):
        before = time.time()
        move(*args, **kwargs)
        _sessions_shift(time.time() - before)

    return moved


def _sessions_shift(seconds: float) -> None:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from core.sessions import LAST_ACTIVITY_KEY

    try:
        sessions = list(Session.objects.all())
    except RuntimeError:  # a test without the database
        return
    for session in sessions:
        data = session.get_decoded()
        if LAST_ACTIVITY_KEY in data:
            data[LAST_ACTIVITY_KEY] += seconds
        for record in data.get("account_authentication_methods") or ():
            record["at"] = record.get("at", 0) + seconds
        session.session_data = SessionStore().encode(data)
        session.expire_date = session.expire_date + dt.timedelta(seconds=max(seconds, 0))
        session.save(update_fields=["session_data", "expire_date"])


@receiver(user_logged_in, dispatch_uid="tests_force_login_records_sign_in")
def _force_login_records_sign_in(sender, request, user, **kwargs):
    """`client.force_login` stands for signing in through the pages just now: allauth's record
    of that sign-in (password, and the code for someone with an authenticator) goes in the
    session as a real sign-in leaves it, so the actions that ask someone to confirm who they
    are (core.reauthentication) go ahead within 5 minutes of it, as they would for a person.
    Two-factor sign-in itself: staff made by the factories have an authenticator (tests/mfa.py).
    Only the test client's own login request (no path) is touched, never a real sign-in."""
    if request is None or request.path or "REQUEST_METHOD" in request.META:
        return
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    record_authentication(request, user, method="password", email=user.email)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        record_authentication(request, user, method="mfa", type="totp")


# The people the permission matrix asks about: None is the public.
ROLE_USERS = {
    "public": None,
    "provider": [Role.PROVIDER],
    "panel": [Role.PANEL_MEMBER],
    "officer": [Role.OFFICER],
    "approver": [Role.APPROVER],
    "admin": [Role.ADMINISTRATOR],
}


@pytest.fixture
def make_user(db):
    def make(*roles: Role, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER, email="officer@test.example.org", full_name="Olive Officer")


@pytest.fixture
def approver(make_user):
    return make_user(Role.APPROVER, email="approver@test.example.org", full_name="Alan Approver")


@pytest.fixture
def panel_member(make_user):
    return make_user(Role.PANEL_MEMBER, email="panel@test.example.org", full_name="Pat Panel")


@pytest.fixture
def provider_user(make_user):
    return make_user(Role.PROVIDER, email="provider@test.example.org", full_name="Priya Provider")


@pytest.fixture
def administrator(make_user):
    return make_user(
        Role.ADMINISTRATOR, email="admin@test.example.org", full_name="Ada Admin", is_staff=True
    )


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (behind `admin_client`), with the authenticator app every
    member of staff must have (core.mfa; tests/mfa.py)."""
    from tests.mfa import authenticator_give

    authenticator_give(admin_user)
    return admin_user


@pytest.fixture
def user_for_role(make_user):
    """The signed-in person for a permission-matrix column, or None for the public."""

    def for_role(role_name: str):
        roles = ROLE_USERS[role_name]
        if roles is None:
            return None
        return make_user(
            *roles, email=f"{role_name}@matrix.example.org", is_staff=role_name == "admin"
        )

    return for_role


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (browser, concurrency) flush the database after each test,
    taking with them the site, roles, framework and success measures that migrations
    loaded: put them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        Site.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": settings.SITE_DOMAIN, "name": settings.SERVICE_NAME},
        )
        Site.objects.clear_cache()
        roles_ensure()
        reference_data.load(apps)
        success_measure_library.load(apps, schema_editor=None)
        score_descriptors.load(apps)
