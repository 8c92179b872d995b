"""The import-linter contracts in pyproject.toml catch an import that runs the wrong way.

Each test copies the source tree to a temporary directory, plants one import there and runs
`lint-imports` on the copy with the project's own contracts; the planted import must be named
as breaking the contract it breaks. (The real tree is checked by `make test` itself.)
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def tree(tmp_path):
    """A copy of gaoxin/ and pyproject.toml to plant imports in."""
    shutil.copytree(
        ROOT / "gaoxin",
        tmp_path / "gaoxin",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data", "static", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def lint(tree: Path) -> str:
    """lint-imports' report on the copy, from the list of broken contracts on."""
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = result.stdout + result.stderr
    assert "Contracts" in report, report  # the contracts were read and run
    return report.partition("Broken contracts")[2]


def test_core_importing_the_portal_breaks_the_floors(tree):
    before = lint(tree)
    assert "gaoxin.core.locking -> gaoxin.portal" not in before
    plant(tree, "gaoxin.core.locking", "import gaoxin.portal.views  # planted")
    after = lint(tree)
    assert "gaoxin.core is not allowed to import gaoxin.portal" in after
    assert "gaoxin.core.locking -> gaoxin.portal.views" in after


def test_a_domain_app_importing_the_demo_breaks_the_floors(tree):
    plant(tree, "gaoxin.enterprises.selectors", "import gaoxin.demo.reference  # planted")
    after = lint(tree)
    assert "gaoxin.enterprises is not allowed to import gaoxin.demo" in after


def test_models_importing_their_services_breaks_the_rooms(tree):
    before = lint(tree)
    assert "gaoxin.enterprises.models -> gaoxin.enterprises.services" not in before
    plant(tree, "gaoxin.enterprises.models", "import gaoxin.enterprises.services  # planted")
    after = lint(tree)
    assert "gaoxin.enterprises.models is not allowed to import gaoxin.enterprises.services" in after


def test_an_import_circle_breaks_the_no_circles_contract(tree):
    before = lint(tree)
    assert "No cycles are allowed in gaoxin.portal." not in before
    (tree / "gaoxin/portal/figures.py").write_text("import gaoxin.portal.views\n")
    plant(tree, "gaoxin.portal.views", "import gaoxin.portal.figures  # planted")
    after = lint(tree)
    assert "No cycles are allowed in gaoxin.portal." in after


def test_core_the_portal_and_the_demo_keep_their_floors_today(tree):
    """The unplanted tree: nothing in core imports above it, nothing imports the portal or the
    demo, and neither has an import circle inside."""
    report = lint(tree)
    assert not re.findall(r"^- gaoxin\.core\.[\w.]+ -> ", report, re.MULTILINE)
    for top in ("gaoxin.portal", "gaoxin.demo"):
        assert f"is not allowed to import {top}" not in report
        assert f"No cycles are allowed in {top}." not in report
    assert "No cycles are allowed in gaoxin.core." not in report
