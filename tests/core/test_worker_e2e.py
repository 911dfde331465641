"""Issue 10's acceptance, end to end with a real Celery worker: with Redis stopped (the
cache and the broker at a closed port), people sign in, a clarification is asked and
answered and a bid is submitted; then, with Redis back, the worker sends each queued email
exactly once.

Needs PostgreSQL (the worker, a process of its own, reads the test database) and Redis
(E2E_REDIS_URL, by default database 15 of the Redis on 127.0.0.1:6379, emptied by the
test); skipped without them. Deselect with `-m "not worker"`.
"""

import email
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from core.models import Email, OutboxTask
from core.outbox import outbox_drain
from core.roles import Role
from procurement.models import BidSubmission, Clarification
from tests.core.broker import CLOSED_PORT_REDIS_URL, base_settings_with_redis_at, broker_at
from tests.factories import OrganisationFactory, UserFactory
from tests.mfa import totp_code
from tests.procurement.factories_bids import (
    BidFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    member,
)
from tests.procurement.factories_opportunities import published_specification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

E2E_REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "a-long-test-password"
WAIT_SECONDS = 60


@pytest.fixture
def real_redis():
    if connection.vendor != "postgresql":
        pytest.skip("The worker is another process: it needs the test database on PostgreSQL")
    client = redis.Redis.from_url(E2E_REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Needs Redis at {E2E_REDIS_URL} (set E2E_REDIS_URL)")
    client.flushdb()
    yield E2E_REDIS_URL
    client.flushdb()
    client.close()


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@pytest.fixture
def worker(real_redis, tmp_path):
    """`celery worker --pool=solo` on the test database and the real Redis, not eager,
    writing the emails it sends as files under tmp_path/mail."""
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": real_redis,
        "CELERY_EAGER": "false",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config.celery_app", "worker"),
                *("--pool=solo", "--loglevel=INFO", f"--hostname=e2e-{uuid.uuid4().hex[:8]}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield mail_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(log.read_text()[-5000:])  # shown when the test fails


def sent_emails(mail_dir: Path) -> list[tuple[str, str]]:
    """(to, subject) of every message the worker's file backend wrote."""
    found = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip())
                found.append((message["To"], " ".join(message["Subject"].split())))
    return found


def signed_in(email_address: str) -> Client:
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"login": email_address, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if response["Location"] == "/accounts/2fa/authenticate/":  # staff: the authenticator app
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
        assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == "/signed-in/"
    return client


def test_with_redis_stopped_actions_work_and_with_redis_back_the_worker_sends_each_email_once(
    settings, worker
):
    officer = UserFactory(roles=[Role.OFFICER], email="lead.officer@example.org")
    opportunity = OpportunityFactory(
        specification=published_specification(lead_officer=officer, state="procurement")
    )
    asker = member(OrganisationFactory(name="Bowerham Advice Project"), email="bea@example.org")
    bid = bid_complete(BidFactory(opportunity=opportunity))
    attachment_add(bid, "Project plan.pdf")
    lead = member(bid.organisation, email="lee@lune.example.org")

    # Phase 1: Redis stopped. The cache and the broker are where nothing answers.
    settings.CACHES = base_settings_with_redis_at(CLOSED_PORT_REDIS_URL)["CACHES"]
    with broker_at(CLOSED_PORT_REDIS_URL):
        provider = signed_in(asker.email)
        asked = provider.post(
            f"/opportunities/{opportunity.slug}/ask/",
            {"question": "Can volunteer time count as match funding?"},
        )
        assert asked.status_code == 302
        clarification = Clarification.objects.get()

        staff = signed_in(officer.email)
        answered = staff.post(
            f"/staff/clarifications/{clarification.pk}/answer/",
            {
                "published_question": "Can volunteer time count as match funding?",
                "answer": "Yes, at the rates in the guidance.",
            },
        )
        assert answered.status_code == 302
        clarification.refresh_from_db()
        assert clarification.published_at is not None

        bidder = signed_in(lead.email)
        submitted = bidder.post(
            f"/bids/{bid.pk}/actions/submit/", {"seen_state": "draft", "declaration": "on"}
        )
        assert submitted.status_code == 302
        receipt = BidSubmission.objects.get(bid=bid).receipt

    assert OutboxTask.objects.filter(status="pending").count() == 4
    assert not Email.objects.exists()
    assert sent_emails(worker) == []
    cache.clear()

    # Phase 2: Redis is back. The drain hands the waiting work to the worker.
    with broker_at(E2E_REDIS_URL):
        drained = outbox_drain(dispatch=True)
        assert (drained.tasks, drained.emails) == (4, 0)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            done = not OutboxTask.objects.exclude(status="done").exists()
            if done and len(sent_emails(worker)) >= 4:
                break
            time.sleep(0.5)
        time.sleep(1)  # anything sent twice would show now

        sent = sent_emails(worker)
        assert Counter(to for to, _ in sent) == {
            officer.email: 1,  # a question was asked
            asker.email: 1,  # your question is answered
            lead.email: 2,  # a clarification is published; your bid's receipt
        }
        assert len(set(sent)) == len(sent) == 4
        assert any(receipt in subject for to, subject in sent if to == lead.email)
        assert set(Email.objects.values_list("status", "attempts")) == {("sent", 1)}
        assert set(OutboxTask.objects.values_list("status", "attempts")) == {("done", 1)}

        # Draining again sends nothing more.
        drained = outbox_drain(dispatch=True)
        assert (drained.tasks, drained.emails) == (0, 0)
        time.sleep(1)
        assert len(sent_emails(worker)) == 4
