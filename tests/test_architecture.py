"""The layer rules of docs/STYLE.md hold, and import-linter really enforces them.

import-linter's contracts deny; the two pure layers are held to allow-lists here instead, so a
new third-party import in them fails even if nobody thought to forbid it:

- `bot.domain` imports the standard library, the parsing libraries markdown-it-py
  (`markdown_it`) and python-dateutil (`dateutil`), and itself;
- `bot.wording` imports the standard library, `bot.domain` and itself.
"""

from __future__ import annotations

import ast
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
    "Wording is pure",
    "Storage knows nothing of Discord or services",
    "Services know nothing of Discord",
    "Charts are pure rendering",
    "The web knows nothing of Discord",
    "Cogs never touch storage",
]


DOMAIN_MAY_IMPORT = frozenset({"markdown_it", "dateutil", "dateparser", "bot.domain"})
"""Besides the standard library: the parsers the log reader is built on, and the domain itself."""
WORDING_MAY_IMPORT = frozenset({"bot.domain", "bot.wording"})
"""Besides the standard library: the values it words, and itself."""


def imported_names(tree: ast.Module) -> list[tuple[int, str]]:
    """Return (line, dotted name) of every import in a module, `from a import b` as `a.b`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # A relative import keeps its dots, so it matches no allowed name.
            dots = "." * node.level
            module = f"{dots}{node.module}." if node.module else dots
            found.extend((node.lineno, f"{module}{alias.name}") for alias in node.names)
    return found


def outside_allow_list(package: Path, allowed: frozenset[str]) -> list[str]:
    """Return 'path:line name' for each import of `package` not in the stdlib or `allowed`."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported_names(tree):
            if name.split(".")[0] in sys.stdlib_module_names:
                continue
            if any(name == ok or name.startswith(ok + ".") for ok in allowed):
                continue
            problems.append(f"{path.relative_to(package.parent.parent)}:{line} {name}")
    return problems


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


def test_the_domain_imports_only_the_standard_library_and_its_parsers() -> None:
    assert outside_allow_list(ROOT / "bot" / "domain", DOMAIN_MAY_IMPORT) == []


def test_wording_imports_only_the_standard_library_and_the_domain() -> None:
    assert (ROOT / "bot" / "wording" / "__init__.py").is_file()
    assert outside_allow_list(ROOT / "bot" / "wording", WORDING_MAY_IMPORT) == []


def test_the_allow_lists_catch_any_other_import(tmp_path: Path) -> None:
    domain = tmp_path / "bot" / "domain"
    domain.mkdir(parents=True)
    (domain / "ok.py").write_text(
        "from __future__ import annotations\nimport re\nfrom datetime import date\n"
        "from dateutil import parser\nimport markdown_it.token\nfrom bot.domain import models\n"
        "from bot import domain\n",
        encoding="utf-8",
    )
    (domain / "bad.py").write_text(
        "import requests\nfrom bot import wording\nfrom bot.services import progress\n"
        "from . import models\nimport dateutils\n",
        encoding="utf-8",
    )

    assert outside_allow_list(domain, DOMAIN_MAY_IMPORT) == [
        "bot/domain/bad.py:1 requests",
        "bot/domain/bad.py:2 bot.wording",
        "bot/domain/bad.py:3 bot.services.progress",
        "bot/domain/bad.py:4 .models",
        "bot/domain/bad.py:5 dateutils",
    ]
    wording = tmp_path / "bot" / "wording"
    wording.mkdir()
    (wording / "words.py").write_text(
        "from bot.domain.reasons import Rest\nfrom dateutil import parser\n", encoding="utf-8"
    )
    assert outside_allow_list(wording, WORDING_MAY_IMPORT) == [
        "bot/wording/words.py:2 dateutil.parser"
    ]


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
        "bot/wording/__init__.py": "",
        "bot/wording/ledger.py": "import discord\n",
        "bot/services/__init__.py": "",
        "bot/services/progress.py": "import discord\n",
        "bot/charts/__init__.py": "",
        "bot/charts/heatmap.py": "from storage import entries\n",
        "bot/client.py": "",
        "bot/tree.py": "",
        "bot/transport.py": "",
        "bot/web/__init__.py": "",
        "bot/web/pages.py": "from cogs import log\n",
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
    assert "bot.wording.ledger -> discord" in result.stdout
    assert "cogs.log -> sqlalchemy" in result.stdout
    assert "bot.web.pages -> cogs" in result.stdout
