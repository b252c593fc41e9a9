"""The pure domain modules never import Django (STYLE.md convention 2)."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pure_module_names() -> list[str]:
    """The pure modules are listed once: the import-linter contract that forbids them Django."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (pure,) = [c for c in contracts if c["name"].startswith("Pure modules")]
    return pure["source_modules"]


# Pure packages: every file in them is checked, so a new file is covered without listing it.
PURE_PACKAGES = tuple(
    name.replace(".", "/")
    for name in _pure_module_names()
    if (ROOT / name.replace(".", "/")).is_dir()
)
PURE_FILES = tuple(
    name.replace(".", "/") + ".py"
    for name in _pure_module_names()
    if not (ROOT / name.replace(".", "/")).is_dir()
)
MAX_LINES = 400


def pure_modules(root: Path = ROOT) -> list[str]:
    """Every pure file; a package's ``__init__.py`` is always listed, so a package that is
    missing (or not a package) fails the existence checks below instead of vanishing."""
    found = list(PURE_FILES)
    for package in PURE_PACKAGES:
        files = {f"{package}/__init__.py"}
        files.update(path.relative_to(root).as_posix() for path in (root / package).rglob("*.py"))
        found += sorted(files)
    return found


PURE_MODULES = pure_modules()
FRAMEWORKS = {"django", "celery", "kombu"}
PROBE = (
    "import {module}, sys; "
    "print(sorted(m for m in sys.modules if m.split('.')[0] in {frameworks!r}))"
)
DYNAMIC_IMPORTS = {"__import__", "import_module"}


def _is_django(name: str | None) -> bool:
    return name is not None and (name == "django" or name.startswith("django."))


def django_imports(source: str) -> list[str]:
    """Every Django module ``source`` imports, statically or with a literal dynamic import."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if _is_django(alias.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and _is_django(node.module):
                found.append(node.module or "")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if (
                name in DYNAMIC_IMPORTS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _is_django(first.value)
            ):
                found.append(first.value)
    return found


@pytest.mark.parametrize("relative_path", PURE_MODULES)
def test_pure_module_does_not_import_django(relative_path):
    path = ROOT / relative_path
    assert path.exists(), f"{relative_path} is listed as pure but does not exist"
    assert django_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("relative_path", PURE_MODULES)
def test_pure_module_imports_without_django_or_celery_at_run_time(relative_path):
    """A fresh interpreter importing the module loads no framework, not even through a package."""
    path = ROOT / relative_path
    assert path.exists(), f"{relative_path} is listed as pure but does not exist"
    module = ".".join(Path(relative_path).with_suffix("").parts).removesuffix(".__init__")
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module, frameworks=FRAMEWORKS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("relative_path", PURE_MODULES)
def test_pure_module_stays_under_the_size_limit(relative_path):
    path = ROOT / relative_path
    assert path.exists(), f"{relative_path} is listed as pure but does not exist"
    assert len(path.read_text(encoding="utf-8").splitlines()) < MAX_LINES


def test_discovery_lists_a_new_file_and_a_missing_package(tmp_path):
    (tmp_path / "cxaudit/stats/waves").mkdir(parents=True)
    for name in ("__init__.py", "new.py", "waves/deeper.py"):
        (tmp_path / "cxaudit/stats" / name).write_text("", encoding="utf-8")

    modules = pure_modules(tmp_path)

    assert {"cxaudit/stats/new.py", "cxaudit/stats/waves/deeper.py"} <= set(modules)
    assert all(f"{package}/__init__.py" in modules for package in PURE_PACKAGES)
    assert not (tmp_path / "cxaudit/scoring/__init__.py").exists()
    assert len(set(modules)) == len(modules)


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "import django.db.models as m",
        "import os, django.conf",
        "from django import forms",
        "from django.utils.translation import gettext",
        "def f():\n    from django.db import models",
        "import importlib\nimportlib.import_module('django.conf')",
        "__import__('django')",
    ],
)
def test_the_check_finds_django_imports(source):
    assert django_imports(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "import djangoish",
        "from djangorestframework import x",
        "from fractions import Fraction",
        "from . import django",
        "text = 'import django'",
    ],
)
def test_the_check_ignores_other_imports(source):
    assert django_imports(source) == []
