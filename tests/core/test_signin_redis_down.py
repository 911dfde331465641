"""Sign-in with Redis down: the settings' own cache, pointed at a Redis that is not there,
still lets people sign in, and still throttles wrong passwords (allauth's per-IP
limit counts in the process's memory, django-axes's lockouts are in the database)."""

from contextlib import suppress

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from redis.exceptions import RedisError

from core.roles import Role
from tests.core.broker import CLOSED_PORT_REDIS_URL, base_settings_with_redis_at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def redis_down(settings):
    """The cache exactly as config/settings/base.py builds it when REDIS_URL is set, with
    REDIS_URL pointing at a closed port."""
    built = base_settings_with_redis_at(CLOSED_PORT_REDIS_URL)
    assert built["CACHES"]["default"]["LOCATION"] == CLOSED_PORT_REDIS_URL
    settings.CACHES = built["CACHES"]
    with suppress(RedisError):  # a plain Redis cache would fail here, not at sign-in
        cache.clear()  # the fallback's counts, from an earlier test
    yield settings
    with suppress(RedisError):
        cache.clear()


@pytest.fixture
def officer_account():
    # Sign-in with a password, before they set up two-factor sign-in (tests/core/test_mfa.py).
    return UserFactory(roles=[Role.OFFICER], email="olive.officer@example.org", mfa=False)


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sign_in_works_with_redis_down(redis_down, officer_account):
    client = Client(raise_request_exception=False)

    response = sign_in(client, officer_account.email)

    assert response.status_code == 302
    assert response["Location"] == "/signed-in/"
    assert client.session["_auth_user_id"] == str(officer_account.pk)


def test_wrong_passwords_still_lock_the_address_out_with_redis_down(redis_down, officer_account):
    redis_down.AXES_ENABLED = True
    client = Client(raise_request_exception=False)

    attempts = [
        sign_in(client, officer_account.email, "not-the-password").status_code
        for _ in range(redis_down.AXES_FAILURE_LIMIT)
    ]

    assert attempts == [200] * (redis_down.AXES_FAILURE_LIMIT - 1) + [429]
    assert AccessAttempt.objects.get().failures_since_start == redis_down.AXES_FAILURE_LIMIT
    # Locked out, even with the right password.
    assert sign_in(client, officer_account.email).status_code == 429


def test_guessing_many_addresses_from_one_place_is_still_slowed_down_with_redis_down(redis_down):
    client = Client(raise_request_exception=False)

    responses = [
        sign_in(client, f"someone{n}@example.org", "guess") for n in range(11)
    ]  # allauth allows 10 failed sign-ins a minute from one IP address

    assert [response.status_code for response in responses[:10]] == [200] * 10
    assert "The email address or password is not correct" in responses[0].content.decode()
    assert "Wait a few minutes and try again" in responses[10].content.decode()
