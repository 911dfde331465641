"""The suite runs on one fixed clock, whatever the machine's date (tests/conftest.py: `clock`).

Every test, its fixtures and the threads it starts see 10am on Thursday 26 November 2026 in
London until the test moves the clock; collection and session fixtures see a clock that starts
there and runs on. So a calendar date written in a test (`dt.date(2026, 12, 3)`) always means
the same distance from "now", and these checks hold the rest in place:

- an ordinary test, a thread and a module being imported all read the frozen clock;
- no test goes round the clock: no patched `timezone.now`, no freezegun, no second
  time-machine, no escape hatch to the real clock, no other `clock` fixture;
- no test works out "today" before its clock starts (at import, in a decorator, a default
  argument, a class body or a session fixture), directly or through a helper;
- the portal never asks the database for the time, since the database's clock is not frozen.
"""

import ast
import datetime as dt
import re
import textwrap
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import FROZEN_NOW

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
LONDON = ZoneInfo("Europe/London")

# Read while pytest imports this module, long before any test runs.
IMPORTED_AT = dt.datetime.now(LONDON)


# --- The clock is in force -----------------------------------------------------------------------


def test_an_ordinary_test_runs_on_the_frozen_clock_and_time_stands_still(request):
    assert "clock" in request.fixturenames, "the clock fixture must be autouse"
    for _ in range(2):
        assert timezone.now() == FROZEN_NOW
        assert timezone.localdate() == dt.date(2026, 11, 26)
        assert dt.datetime.now(LONDON) == FROZEN_NOW
        assert dt.date.today() == dt.date(2026, 11, 26)
        assert time.time() == FROZEN_NOW.timestamp()
        time.sleep(0.01)


def test_the_clock_moves_only_when_the_test_moves_it(clock):
    clock.shift(dt.timedelta(days=7))
    assert timezone.localdate() == dt.date(2026, 12, 3)
    clock.move_to(dt.datetime(2027, 6, 15, 23, 30, tzinfo=LONDON))
    assert timezone.localdate() == dt.date(2027, 6, 15)
    assert timezone.localtime().utcoffset() == dt.timedelta(hours=1)  # British Summer Time


def test_threads_such_as_the_live_server_share_the_clock(clock):
    clock.shift(dt.timedelta(hours=3))
    seen = []
    thread = threading.Thread(target=lambda: seen.append(timezone.now()))
    thread.start()
    thread.join()
    assert seen == [FROZEN_NOW + dt.timedelta(hours=3)]


def test_modules_are_imported_on_the_runs_clock():
    """Collection happens on a clock that started at FROZEN_NOW, not on the machine's."""
    assert FROZEN_NOW <= IMPORTED_AT < FROZEN_NOW + dt.timedelta(hours=2)


# --- Reading the test files ----------------------------------------------------------------------

CLOCK_WORDS = {"now", "today", "utcnow", "localdate", "localtime", "time", "time_ns"}
# A string naming a clock function to patch: "django.utils.timezone.now",
# "procurement.services.bids.timezone.now", "django_fsm_log.models.now", "time.time".
PATCHED_CLOCK = re.compile(r"(^|\.)(now|today|utcnow|localdate|localtime|time|time_ns)$")
PATCHERS = {"patch", "object", "setattr", "patch_object", "replace"}
DATABASE_CLOCK = re.compile(
    r"\b(CURRENT_DATE|CURRENT_TIMESTAMP|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME|"
    r"statement_timestamp|clock_timestamp|transaction_timestamp|timeofday)\b|\bnow\(\)",
    re.IGNORECASE,
)


def dotted(node: ast.AST) -> str:
    """`dt.datetime.now` -> "dt.datetime.now"; anything else -> ""."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class Module:
    """One source file: its imports, its top-level functions and the calls they make."""

    def __init__(self, path: Path, source: str, name: str):
        self.path = path
        self.name = name
        self.tree = ast.parse(source, filename=str(path))
        # local name -> "module.attr" it was imported as
        self.imports: dict[str, str] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name.split(".")[: -node.level]
                    base = ".".join([*package, *([base] if base else [])])
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        self.imports[alias.name.split(".")[0]] = alias.name.split(".")[0]
        self.functions = {
            node.name: node
            for node in self.tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }

    def resolve(self, func: ast.AST) -> str:
        """The full dotted name a call's function refers to, through this module's imports."""
        name = dotted(func)
        if not name:
            return ""
        head, _, rest = name.partition(".")
        if head in self.imports:
            head = self.imports[head]
        elif head in self.functions:
            head = f"{self.name}.{head}"
        return f"{head}.{rest}" if rest else head

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(ROOT)}:{node.lineno}"


def reads_the_clock(module: Module, call: ast.Call) -> str:
    """What clock `call` reads, or "" if it reads none."""
    full = module.resolve(call.func)
    if not full:
        return ""
    *receiver, word = full.split(".")
    owner = receiver[-1] if receiver else ""
    no_value = not call.args and not call.keywords
    if word in {"now", "utcnow", "today"} and owner in {"datetime", "date", "timezone"}:
        return full
    if word in {"localdate", "localtime"} and owner == "timezone" and no_value:
        return full
    if owner == "time" and (
        word in {"time", "time_ns"}
        or (word in {"localtime", "gmtime", "ctime"} and no_value)
        or (word == "strftime" and len(call.args) < 2)
    ):
        return full
    return ""


def project_modules() -> dict[str, Module]:
    """Every first-party module: the apps, config, demo and the tests."""
    modules = {}
    packages = [
        top
        for top in sorted(ROOT.iterdir())
        if (top / "__init__.py").exists() and not top.name.startswith(".")
    ]
    for path in (path for top in packages for path in sorted(top.rglob("*.py"))):
        relative = path.relative_to(ROOT)
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        modules[name] = Module(path, path.read_text(encoding="utf-8"), name)
    return modules


def calls_made_when_called(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
    """The calls a function makes when it is called: not those inside the functions and
    lambdas it only defines or returns (a factory's `lambda: at(21)`), unless it calls a
    function it defined itself."""
    inner = {
        node.name: node
        for node in ast.walk(function)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node is not function
    }
    calls, seen = [], set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    visit(default)
            return
        if isinstance(node, ast.Call):
            calls.append(node)
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            if name in inner and name not in seen:
                seen.add(name)
                for statement in inner[name].body:
                    visit(statement)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for statement in function.body:
        visit(statement)
    return calls


def clock_helpers(modules: dict[str, Module]) -> dict[str, str]:
    """Top-level functions that read the clock when called, directly or through one another:
    "tests.procurement.factories_bids.at" -> "django.utils.timezone.localdate"."""
    calls = {
        (module, name): calls_made_when_called(function)
        for module in modules.values()
        for name, function in module.functions.items()
    }
    helpers: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for (module, name), made in calls.items():
            full = f"{module.name}.{name}"
            if full in helpers:
                continue
            for call in made:
                read = reads_the_clock(module, call) or helpers.get(module.resolve(call.func), "")
                if read:
                    helpers[full] = read
                    changed = True
                    break
    return helpers


def fixture_scope(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """ "function", "session", … for a pytest fixture ("?" if not a literal); None otherwise."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = dotted(call.func if call else decorator)
        if name.split(".")[-1] != "fixture":
            continue
        for keyword in call.keywords if call else []:
            if keyword.arg == "scope":
                value = keyword.value
                return value.value if isinstance(value, ast.Constant) else "?"
        return "function"
    return None


def early_reads(module: Module, helpers: dict[str, str]) -> list[str]:
    """Clock reads that run before the test's clock starts: at import (module and class
    bodies, decorators, default arguments) or in a fixture wider than one test."""
    found = []

    def visit(node: ast.AST, early: bool, why: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                visit(decorator, early, why)
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    visit(default, early, why)
            scope = fixture_scope(node)
            if scope not in (None, "function"):
                body_early, body_why = True, f"in the {scope}-scoped fixture {node.name}()"
            else:
                body_early, body_why = False, ""
            for statement in node.body:
                visit(statement, body_early, body_why)
            return
        if isinstance(node, ast.Lambda):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    visit(default, early, why)
            visit(node.body, False, "")
            return
        if early and isinstance(node, ast.Call):
            read = reads_the_clock(module, node)
            via = ""
            if not read and module.resolve(node.func) in helpers:
                read = helpers[module.resolve(node.func)]
                via = f" (through {dotted(node.func)}())"
            if read:
                found.append(
                    f"{module.where(node)}: reads the clock {why}{via}: {ast.unparse(node)}. "
                    "Work the date out inside the test or a function-scoped fixture, where "
                    "`clock` is in force, or write the date down."
                )
        for child in ast.iter_child_nodes(node):
            visit(child, early, why)

    for statement in module.tree.body:
        visit(statement, True, "while the module is imported")
    return found


def clock_bypasses(module: Module) -> list[str]:
    """Ways round the suite's clock."""
    found = []
    is_conftest = module.path == TESTS / "conftest.py"
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            for name in names:
                root = name.split(".")[0]
                if root == "freezegun" or (root == "time_machine" and not is_conftest):
                    found.append(
                        f"{module.where(node)}: imports {name}: move the suite's `clock` "
                        "fixture instead (clock.move_to(...), clock.shift(...))."
                    )
        elif isinstance(node, ast.Attribute) and node.attr == "escape_hatch":
            found.append(
                f"{module.where(node)}: uses time-machine's escape hatch to the real clock."
            )
        elif isinstance(node, ast.Call):
            function = dotted(node.func).split(".")[-1]
            if function in PATCHERS:
                strings = [
                    arg.value
                    for arg in [*node.args, *(k.value for k in node.keywords)]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
                if any(PATCHED_CLOCK.search(s) for s in strings if "." in s) or (
                    function in {"object", "setattr", "patch_object"}
                    and any(s in CLOCK_WORDS for s in strings)
                ):
                    found.append(
                        f"{module.where(node)}: patches the clock ({ast.unparse(node)}): "
                        "use the `clock` fixture (clock.move_to(...)), which every part of "
                        "the portal and the database timestamps follow."
                    )
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if "time_machine" in [a.arg for a in node.args.args]:
                found.append(f"{module.where(node)}: asks for time-machine's own fixture.")
            if not is_conftest and fixture_scope(node) is not None:
                names = {node.name}
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Call):
                        names |= {
                            k.value.value
                            for k in decorator.keywords
                            if k.arg == "name" and isinstance(k.value, ast.Constant)
                        }
                if "clock" in names:
                    found.append(
                        f"{module.where(node)}: defines another `clock` fixture, which would "
                        "hide the suite's."
                    )
        if dotted(node).endswith("mark.time_machine"):
            found.append(f"{module.where(node)}: uses @pytest.mark.time_machine.")
    return found


def database_clock(module: Module) -> list[str]:
    """The portal's code asking the database for the time (Now(), CURRENT_DATE, now())."""
    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and module.resolve(node.func).endswith(
            "db.models.functions.Now"
        ):
            found.append(f"{module.where(node)}: Now() is the database's clock.")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DATABASE_CLOCK.search(node.value)
        ):
            found.append(
                f"{module.where(node)}: SQL reads the database's clock: "
                f"{DATABASE_CLOCK.search(node.value).group(0)}."
            )
    return found


def problems(modules: dict[str, Module]) -> list[str]:
    helpers = clock_helpers(modules)
    found = []
    for module in modules.values():
        if module.name.startswith("tests."):
            if module.path != Path(__file__).resolve():
                found += early_reads(module, helpers)
                found += clock_bypasses(module)
        else:
            found += database_clock(module)
    return found


@pytest.fixture(scope="module")
def modules():
    return project_modules()


def test_no_test_goes_round_the_clock_or_reads_it_too_early(modules):
    assert len([m for m in modules if m.startswith("tests.")]) > 20, "no test files found"
    assert "procurement.services.bids" in modules, "the portal's code was not read"
    found = problems(modules)
    assert not found, "Tests that depend on the day they run:\n" + "\n".join(found)


# --- The checker finds what it should ------------------------------------------------------------


def check(source: str, name: str = "tests.example.test_thing") -> list[str]:
    """Run the checks over one made-up test module beside the real project."""
    path = ROOT / (name.replace(".", "/") + ".py")
    made_up = Module(path, textwrap.dedent(source), name)
    helpers_module = Module(
        ROOT / "tests/example/helpers.py",
        textwrap.dedent(
            """
            import datetime as dt
            from django.utils import timezone

            def at(days):
                return timezone.localdate() + dt.timedelta(days=days)

            def later(days):
                return at(days + 1)

            def deferred(days):
                return lambda: at(days)

            def inner_called(days):
                def when():
                    return at(days)

                return when()
            """
        ),
        "tests.example.helpers",
    )
    found = problems({made_up.name: made_up, helpers_module.name: helpers_module})
    return [line for line in found if line.startswith(str(path.relative_to(ROOT)))]


@pytest.mark.parametrize(
    "source",
    [
        "import datetime\nTODAY = datetime.date.today()",
        "import datetime as dt\nNOW = dt.datetime.now(dt.UTC)",
        "from datetime import datetime\nclass Factory:\n    when = datetime.now()",
        "from django.utils import timezone\nDEADLINE = timezone.now() + 1",
        "from django.utils.timezone import localdate\nTODAY = localdate()",
        "from django.utils import timezone\nTODAY = timezone.localtime().date()",
        "import time\nSTARTED = time.time()",
        "from time import time\nSTARTED = time()",
        "import pytest\nfrom django.utils import timezone\n"
        "@pytest.mark.parametrize('d', [timezone.localdate()])\ndef test_x(d):\n    pass",
        "from django.utils import timezone\ndef test_x(d=timezone.now()):\n    pass",
        "import pytest\nfrom django.utils import timezone\n"
        "@pytest.fixture(scope='module')\ndef opening():\n    return timezone.now()",
        "import pytest\nfrom django.utils import timezone\n"
        "@pytest.fixture(scope='session')\ndef opening():\n    return timezone.now()",
        "from tests.example.helpers import at\nDEADLINE = at(3)",
        "from tests.example.helpers import later\nDEADLINE = later(3)",
        "from tests.example import helpers\nDEADLINE = helpers.at(3)",
        "from tests.example.helpers import inner_called\nDEADLINE = inner_called(3)",
        "from .helpers import at\nclass OpportunityFactory:\n    closes_at = at(21)",
        "from unittest import mock\ndef test_x():\n"
        "    with mock.patch('django.utils.timezone.now', return_value=1):\n        pass",
        "from unittest import mock\ndef test_x():\n"
        "    with mock.patch('procurement.services.bids.timezone.now'):\n        pass",
        "from unittest.mock import patch\n@patch('django_fsm_log.models.now')\ndef test_x(n):\n"
        "    pass",
        "from unittest import mock\nfrom django.utils import timezone\ndef test_x():\n"
        "    with mock.patch.object(timezone, 'now'):\n        pass",
        "from django.utils import timezone\ndef test_x(monkeypatch):\n"
        "    monkeypatch.setattr(timezone, 'now', lambda: 1)",
        "def test_x(monkeypatch):\n    monkeypatch.setattr('time.time', lambda: 1)",
        "import freezegun\ndef test_x():\n    pass",
        "from freezegun import freeze_time\ndef test_x():\n    pass",
        "import time_machine\ndef test_x():\n    pass",
        "def test_x(time_machine):\n    pass",
        "import pytest\n@pytest.mark.time_machine('2026-12-03')\ndef test_x():\n    pass",
        "import time_machine as tm\ndef test_x():\n    tm.escape_hatch.time.time()",
        "def test_x(clock):\n    clock.escape_hatch.datetime.datetime.now()",
        "import pytest\n@pytest.fixture\ndef clock():\n    return None",
        "import pytest\n@pytest.fixture(name='clock')\ndef my_clock():\n    return None",
    ],
)
def test_the_checker_finds_a_test_that_depends_on_the_day(source):
    found = check(source)
    assert found, f"not caught:\n{source}"
    assert all(re.match(r"tests/example/test_thing\.py:\d+: ", line) for line in found), found


@pytest.mark.parametrize(
    "source",
    [
        "import datetime as dt\nDEADLINE = dt.datetime(2026, 12, 3, 17)",
        "import datetime as dt\nfrom django.utils import timezone\ndef test_x():\n"
        "    assert timezone.localdate() == dt.date(2026, 11, 26)",
        "import factory\nfrom tests.example.helpers import at\nclass F:\n"
        "    closes_at = factory.LazyFunction(lambda: at(21))",
        "import pytest\nfrom django.utils import timezone\n"
        "@pytest.fixture\ndef opening():\n    return timezone.now()",
        "from tests.example.helpers import deferred\nROWS = [deferred(3)]",
        "from django.utils import timezone\nimport datetime as dt\n"
        "LATE = timezone.localtime(dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC))",
        "from unittest import mock\ndef test_x():\n"
        "    with mock.patch('commissioning.pdf.plan_pdf_render'):\n        pass",
        "def test_x(clock):\n    clock.move_to('2026-12-03 17:00')",
    ],
)
def test_the_checker_leaves_alone_what_runs_on_the_clock(source):
    assert check(source) == []


def test_the_checker_finds_the_database_clock_in_the_portals_code():
    made_up = Module(
        ROOT / "procurement/selectors/example.py",
        textwrap.dedent(
            """
            from django.db.models.functions import Now
            from django.db.models.expressions import RawSQL

            def open_ones(qs):
                return qs.filter(closes_at__gt=Now())

            def due(qs):
                return qs.extra(where=["due_on <= CURRENT_DATE"])
            """
        ),
        "procurement.selectors.example",
    )
    found = problems({made_up.name: made_up})
    assert [line.split(": ")[0] for line in found] == [
        "procurement/selectors/example.py:6",
        "procurement/selectors/example.py:9",
    ]
