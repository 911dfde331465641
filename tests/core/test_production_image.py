"""The production image and its compose stack, checked without a Docker engine.

The Dockerfile, .dockerignore, docker-compose.yml and .env.example are read the way Docker,
Compose and a shell read them; the web health check's own code is run against the portal
through Django's test client under the production settings built from .env.example.
"""

import ast
import io
import os
import random
import re
import runpy
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit

import environ
import pytest
import yaml
from django.test import override_settings
from docker.utils.build import PatternMatcher

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_BY_PRODUCTION = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
# What production.py sets that decides how a request is answered.
REQUEST_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_SSL_HOST",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
]


def env_example() -> dict[str, str]:
    """.env.example's values as a shell reads them (`set -a; . ./.env.example`)."""
    shell = subprocess.run(
        ["bash", "-c", "set -a; . ./.env.example; env -0"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (shell.returncode, shell.stderr) == (0, ""), shell.stderr
    values = dict(line.split("=", 1) for line in shell.stdout.split("\0") if "=" in line)
    names = re.findall(r"^([A-Za-z_]\w*)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    return {name: values[name] for name in names}


def dockerignore() -> PatternMatcher:
    """The build context's exclusions, read as `docker build` (and docker-py) reads them."""
    path = ROOT / ".dockerignore"
    assert path.exists(), "no .dockerignore: `COPY . .` puts the whole checkout in the image"
    lines = [line.strip() for line in path.read_text().splitlines()]
    return PatternMatcher([line for line in lines if line and not line.startswith("#")])


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, enough for this file."""

    def substitute(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if name in variables and variables[name]:
            return variables[name]
        assert operator != ":?", rest
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", substitute, str(value))


def service_environment(service: dict, dot_env: dict[str, str]) -> dict[str, str]:
    """What a service's container sees: its env_file (.env, from .env.example) overridden by
    its `environment`, interpolated from .env as Compose does."""
    assert service.get("env_file") in (".env", [".env"])
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return dot_env | {name: interpolate(value, dot_env) for name, value in environment.items()}


def dockerfile_instructions() -> list[tuple[str, str]]:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    logical = re.sub(r"\\\n", " ", text).splitlines()
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
        for line in logical
        if line.strip()
    ]


def test_dockerignore_keeps_secrets_local_data_and_tools_out_of_the_image():
    matcher = dockerignore()
    leaked = [
        path
        for path in [
            ".env",
            "db.sqlite3",
            "media/bids/budget.pdf",
            ".venv/bin/python",
            "node_modules/govuk-frontend/package.json",
            ".git/HEAD",
            "core/__pycache__/views.cpython-311.pyc",
            "__pycache__/manage.cpython-311.pyc",
        ]
        if not matcher.matches(path)
    ]
    assert leaked == []


def test_dockerignore_keeps_what_the_image_needs_to_run_and_collect_static_files():
    matcher = dockerignore()
    needed = [
        "manage.py",
        "pyproject.toml",
        "config/settings/production.py",
        "core/views.py",
        "core/migrations/0001_initial.py",
        "templates/base.html",
        "static/css/portal.css",
        "static/js/govuk-frontend.min.js",
    ]
    assert [path for path in needed if not (ROOT / path).exists()] == []
    assert [path for path in needed if matcher.matches(path)] == []


def test_image_gives_the_unprivileged_user_a_media_folder_for_uploads():
    instructions = dockerfile_instructions()
    users = [args for kind, args in instructions if kind == "USER"]
    assert users == ["portal"]
    before_user = instructions[: instructions.index(("USER", "portal"))]
    creates_media = re.compile(
        r"install -d -o portal -g portal (\S+ )*/app/media\b"
        r"|mkdir (-p )?/app/media\b.*chown (-R )?portal(:portal)? /app/media\b"
    )
    assert [args for kind, args in before_user if kind == "RUN" and creates_media.search(args)]
    # ... and that is where the services keep uploads: the volume and MEDIA_ROOT.
    app_services = [compose()["services"][name] for name in ("web", "worker", "beat")]
    for service in app_services:
        assert "media:/app/media" in service["volumes"]
        assert service["environment"]["MEDIA_ROOT"] == "/app/media"


def test_compose_migrates_once_before_web_worker_and_beat_start_and_runs_one_beat():
    services = compose()["services"]
    migrates = {
        name for name, service in services.items() if "migrate" in " ".join(command_words(service))
    }
    assert migrates == {"migrate"}, "only the one-off service runs the migrations"
    migrate = services["migrate"]
    assert command_words(migrate) == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        condition = services[name]["depends_on"].get("migrate", {}).get("condition")
        assert condition == "service_completed_successfully", name

    def runs_beat(service: dict) -> bool:
        words = command_words(service)
        return "celery" in words and ("beat" in words or "-B" in words or "--beat" in words)

    beats = [name for name, service in services.items() if runs_beat(service)]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def production_request_settings(monkeypatch, environment: dict[str, str]) -> dict:
    """production.py's request-handling settings, built from a container's environment."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    production = runpy.run_module("config.settings.production")
    return {name: production[name] for name in REQUEST_SETTINGS if name in production}


@pytest.mark.django_db
def test_web_health_check_answers_200_under_production_settings(client, monkeypatch):
    """The compose health check's own code, run against the portal as production runs it."""
    services = compose()["services"]
    environment = service_environment(services["web"], env_example())
    request_settings = production_request_settings(monkeypatch, environment)
    assert request_settings["SECURE_SSL_REDIRECT"] is True

    answers = []

    def urlopen(request, data=None, timeout=None, **kwargs):
        if isinstance(request, str):
            request = urllib.request.Request(request)
        url = urlsplit(request.full_url)
        host = request.get_header("Host") or url.netloc
        response = client.get(url.path, headers={"host": host}, secure=url.scheme == "https")
        answers.append(response.status_code)
        # urllib would follow a redirect to https://<public host>/healthz, which is the proxy,
        # not this container: anything but 200 fails the check.
        if response.status_code != 200:
            raise HTTPError(request.full_url, response.status_code, "", None, None)
        return io.BytesIO(response.content)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    check = services["web"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    with override_settings(**request_settings):
        exec(check[3], {"__name__": "__main__"})
    assert answers == [200]


@pytest.mark.django_db
def test_behind_the_proxy_one_visitors_failed_sign_ins_do_not_throttle_another(client, monkeypatch):
    """Every request reaches gunicorn from the proxy's address; the visitor's is in
    X-Forwarded-For. Ten failed sign-ins a minute from one visitor must not lock out all."""
    environment = env_example()
    request_settings = production_request_settings(monkeypatch, environment)
    host = environment["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    attacker, neighbour = (f"203.0.113.{n}" for n in random.sample(range(1, 255), 2))
    throttled = "You have tried to sign in too many times"

    def sign_in(visitor: str):
        return client.post(
            "/accounts/login/",
            {"login": "nobody@example.org", "password": "not-the-password"},
            headers={"host": host, "x-forwarded-proto": "https", "x-forwarded-for": visitor},
            REMOTE_ADDR="172.18.0.1",
        )

    with override_settings(**request_settings):
        for _attempt in range(10):
            assert throttled not in sign_in(attacker).content.decode()
        assert throttled in sign_in(attacker).content.decode()
        assert throttled not in sign_in(neighbour).content.decode()


def test_a_shell_and_the_settings_read_every_env_example_value_whole(monkeypatch):
    from_shell = env_example()
    assert from_shell["DEFAULT_FROM_EMAIL"] == (
        "Commissioning portal <commissioning@example.gov.uk>"
    )
    assert from_shell["COUNCIL_NAME"] == "Lancaster City Council"
    # django-environ (base.py reads .env outside Docker) sees the same values.
    read_by_settings: dict[str, str] = {}
    monkeypatch.setattr(environ.Env, "ENVIRON", read_by_settings)
    environ.Env.read_env(ROOT / ".env.example")
    assert read_by_settings == from_shell


def required_by_production() -> set[str]:
    """Variables config/settings/production.py reads with no default."""
    tree = ast.parse((ROOT / "config/settings/production.py").read_text())
    required = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        function = node.func
        reads_env = (isinstance(function, ast.Name) and function.id == "env") or (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "env"
        )
        has_default = len(node.args) > 1 or any(kw.arg == "default" for kw in node.keywords)
        if reads_env and isinstance(node.args[0], ast.Constant) and not has_default:
            required.add(node.args[0].value)
    return required


def test_env_example_names_every_variable_production_requires():
    required = required_by_production()
    assert required >= REQUIRED_BY_PRODUCTION
    assert required - env_example().keys() == set()


def test_deploy_check_passes_under_production_settings_with_env_example(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            **env_example(),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
