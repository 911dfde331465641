"""PostgreSQL restarts while the portal runs: the next request still succeeds, without
restarting the portal (issue 14, "Faults and recovery").

The portal is served as in production (gunicorn, one sync worker, connections kept for
CONN_MAX_AGE seconds), on the test database. The test restarts the PostgreSQL cluster that
holds the test database between two requests. A kept connection is then dead; with
CONN_HEALTH_CHECKS (config/settings/base.py) Django notices before using it and opens a
new one. A second server with the health checks turned off is restarted on alongside it and
answers the same request with a 500, so the test shows the restart really cut its
connections.

PostgreSQL only, and only where the test may restart the cluster (root, pg_ctlcluster, the
database on this machine); skipped otherwise. Deselect with `-m "not pgrestart"`. The
restart keeps the test database's data; the test waits for the cluster to answer again
(and starts it if a restart failed) before anything else runs.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections

from tests.core.test_worker_e2e import _database_url

pytestmark = [pytest.mark.pgrestart, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


def _cluster_serving(port: int) -> tuple[str, str]:
    """(version, name) of the local PostgreSQL cluster listening on `port`."""
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True, timeout=10
    ).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return version, name
    pytest.skip(f"No local PostgreSQL cluster listens on port {port}")


def _pg_ready(port: int) -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"], timeout=10, check=False
        ).returncode
        == 0
    )


def _wait_for(check, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def cluster():
    """The local cluster holding the test database, which this test may restart."""
    if connection.vendor != "postgresql":
        pytest.skip("Restarts PostgreSQL: needs the test database on PostgreSQL")
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("The test database is on another machine: its cluster is not ours to restart")
    if not (shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters")):
        pytest.skip("Needs pg_ctlcluster (postgresql-common) to restart PostgreSQL")
    if os.geteuid() != 0:
        pytest.skip("Restarting PostgreSQL needs root")
    port = int(connection.settings_dict["PORT"] or 5432)
    version, name = _cluster_serving(port)
    yield version, name, port
    # Whatever happened, the cluster answers again before the next test, and this process
    # reconnects rather than reuse a connection the restart has cut.
    if not _pg_ready(port):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
            timeout=WAIT_SECONDS,
            check=False,
        )
        _wait_for(lambda: _pg_ready(port), "PostgreSQL to start again")
    connections.close_all()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (our own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _serve(tmp_path: Path, *, health_checks: bool):
    """gunicorn serving the portal on the test database, keeping its connection open."""
    name = "checked" if health_checks else "unchecked"
    (tmp_path / f"settings_{name}.py").write_text(
        "from config.settings.test import *  # noqa\n"
        f'DATABASES["default"]["CONN_HEALTH_CHECKS"] = {health_checks}\n'
    )
    port = _free_port()
    log = (tmp_path / f"gunicorn_{name}.log").open("w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "sync"),
            *("--timeout", "60", "--graceful-timeout", "5"),
        ],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(django_settings.BASE_DIR)]),
            "DJANGO_SETTINGS_MODULE": f"settings_{name}",
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "600",
            "REDIS_URL": "",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}", log


@pytest.fixture
def servers(tmp_path):
    started = []
    try:
        for health_checks in (True, False):
            started.append(_serve(tmp_path, health_checks=health_checks))
        for process, url, _ in started:
            _wait_for(
                lambda process=process, url=url: (
                    process.poll() is None and _reachable(url + "/healthz")
                ),
                f"gunicorn at {url}",
            )
        yield started[0][1], started[1][1]
    finally:
        for process, _, log in started:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        for path in sorted(tmp_path.glob("gunicorn_*.log")):
            print(path.name, path.read_text()[-3000:])  # shown when the test fails


def _reachable(url: str) -> bool:
    try:
        return _get(url) in (200, 503)
    except OSError:
        return False


def test_after_postgresql_restarts_the_next_request_succeeds_without_restarting_the_portal(
    cluster, servers
):
    version, name, port = cluster
    checked, unchecked = servers
    # Each server opens its connection and keeps it (CONN_MAX_AGE).
    assert _get(checked + "/opportunities/") == 200
    assert _get(unchecked + "/opportunities/") == 200

    restarted = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
        check=False,
    )
    assert restarted.returncode == 0, restarted.stderr
    _wait_for(lambda: _pg_ready(port), "PostgreSQL to answer after its restart")

    # The portal was not restarted: its kept connection was cut, and it opens a new one.
    assert _get(checked + "/opportunities/") == 200
    assert _get(checked + "/healthz") == 200
    # Without the health checks the first request after the restart fails on the dead
    # connection: the restart did cut the servers' connections.
    assert _get(unchecked + "/opportunities/") == 500
