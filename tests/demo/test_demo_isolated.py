"""The demo data set is an app of its own: it imports the others and none imports it.

So the portal runs (and production deploys) without it, and changing the demo can never
change how the portal behaves. Nor does the demo lean on the test suite's factories.
"""

import ast
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "commissioning", "engagement", "procurement", "providers", "monitoring", "config"]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, absolute or relative, at any depth in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).parent.parts)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
        elif _is_dynamic_import(node):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def _is_dynamic_import(node: ast.AST) -> bool:
    """`importlib.import_module("demo.x")` or `__import__("demo")` with a literal name."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
    return name in ("import_module", "__import__") and isinstance(node.args[0], ast.Constant)


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def importers_of(package: str, files: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in files
        for line, module in imported_modules(path)
        if module == package or module.startswith(package + ".")
    ]


def test_the_apps_and_settings_are_there_to_check():
    files = python_files(*APPS)
    assert len(files) > 100
    assert {path.relative_to(ROOT).parts[0] for path in files} == set(APPS)


def test_no_app_imports_the_demo():
    assert importers_of("demo", python_files(*APPS)) == []


def test_no_demo_module_is_left_inside_an_app():
    assert [
        str(path.relative_to(ROOT))
        for path in python_files(*APPS)
        if path.stem.startswith("demo") or path.stem in ("seed_demo", "demo_signins")
    ] == []


def test_the_demo_commands_belong_to_the_demo_app():
    commands = get_commands()
    assert (commands["seed_demo"], commands["demo_signins"]) == ("demo", "demo")


def test_the_demo_imports_nothing_from_the_tests():
    assert importers_of("tests", python_files("demo")) == []


@pytest.mark.parametrize(
    "source",
    [
        "from demo.people import DEMO_PEOPLE\n",
        "import demo.seed\n",
        "def f():\n    from demo import seed\n",
        "import importlib\nimportlib.import_module('demo.bids')\n",
    ],
)
def test_the_check_catches_every_way_of_importing_the_demo(tmp_path, source, monkeypatch):
    """The walk would see an app importing the demo, however it is written."""
    app = tmp_path / "core"
    app.mkdir()
    (app / "sneaky.py").write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert importers_of("demo", python_files("core")) != []
