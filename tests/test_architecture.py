"""The layer rules of docs/STYLE.md hold, and import-linter really enforces them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = [
    "Domain is pure",
    "Storage knows nothing of Discord or services",
    "Services know nothing of Discord",
    "Charts are pure rendering",
    "Cogs never touch storage",
]


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on `project` with its pyproject.toml, importing from `project` first."""
    env = {**os.environ, "PYTHONPATH": str(project), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_contracts_are_the_documented_ones() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    contracts = config["tool"]["importlinter"]["contracts"]

    assert [contract["name"] for contract in contracts] == CONTRACTS
    assert config["tool"]["importlinter"]["include_external_packages"] is True


def test_the_code_keeps_every_layer_contract() -> None:
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_bot_package_init_is_empty() -> None:
    # storage imports bot.domain, so anything in bot/__init__.py would run (and could cycle)
    # for every layer.
    assert (ROOT / "bot" / "__init__.py").read_bytes() == b""


@pytest.fixture
def violating_project(tmp_path: Path) -> Path:
    """A scratch copy of the layout in which every layer breaks its rule once."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    modules = {
        "bot/__init__.py": "",
        "bot/app.py": "",
        "bot/config.py": "",
        "bot/domain/__init__.py": "",
        "bot/domain/streaks.py": "import discord\n",
        "bot/services/__init__.py": "",
        "bot/services/progress.py": "import discord\n",
        "bot/charts/__init__.py": "",
        "bot/charts/heatmap.py": "from storage import entries\n",
        "storage/__init__.py": "",
        "storage/entries.py": "from bot.services import progress\n",
        "cogs/__init__.py": "",
        "cogs/log.py": "import sqlalchemy\n",
    }
    for relative, source in modules.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path


def test_every_contract_catches_a_violation(violating_project: Path) -> None:
    result = lint_imports(violating_project)

    assert result.returncode == 1, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} BROKEN" in result.stdout
    assert "bot.domain.streaks -> discord" in result.stdout
    assert "cogs.log -> sqlalchemy" in result.stdout
