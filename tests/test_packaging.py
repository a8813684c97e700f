"""What ships: production installs carry no Discord simulator, and the demo says how to get it."""

from __future__ import annotations

import email.parser
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def requirement_names(requirements: list[str]) -> set[str]:
    """Return the distribution names of PEP 508 requirement strings, lower-cased."""
    return {
        re.split(r"[\s\[=<>!~;]", requirement, maxsplit=1)[0].lower()
        for requirement in requirements
    }


def pins(requirements: list[str]) -> dict[str, str]:
    """Return name -> exact version of `name==version` requirements."""
    found = (re.fullmatch(r"([\w.\-]+)(?:\[[\w,]+\])?==([\w.]+)", r) for r in requirements)
    return {match[1].lower(): match[2] for match in found if match}


def test_simcord_is_not_a_runtime_dependency() -> None:
    assert "simcord" not in requirement_names(PYPROJECT["project"]["dependencies"])


def test_simcord_is_the_demo_extra_pinned_with_discord_py() -> None:
    project = PYPROJECT["project"]
    demo = pins(project["optional-dependencies"]["demo"])
    dev = pins(PYPROJECT["dependency-groups"]["dev"])

    assert set(demo) == {"simcord"}
    # The tests run the bot on simcord too: the dev group pins the same version.
    assert dev["simcord"] == demo["simcord"]
    # simcord patches discord.py internals: both exactly pinned, bumped together.
    assert "discord.py" in pins(project["dependencies"])


def test_the_wheel_leaves_the_demo_out() -> None:
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]

    assert "bot" in wheel["packages"]
    assert "bot/demo" in wheel["exclude"]


def test_the_image_installs_no_dev_group_and_only_the_postgres_extra() -> None:
    syncs = [line for line in DOCKERFILE.splitlines() if re.search(r"\buv sync\b", line)]

    assert syncs, "the Dockerfile installs with `uv sync`"
    for sync in syncs:
        assert "--no-dev" in sync
        # The PostgreSQL driver, so the image can run on the database several processes share.
        assert re.findall(r"--extra[ =](\S+)", sync) == ["postgres"]
        assert "--all-extras" not in sync
        assert "--group" not in sync
        assert "--all-groups" not in sync
    instructions = [line for line in DOCKERFILE.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in instructions if "demo" in line or "simcord" in line]


def test_the_image_context_leaves_the_demo_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()

    assert "bot/demo" in ignored


def test_demo_without_simcord_says_how_to_get_it(monkeypatch, capsys, tmp_path) -> None:
    # None in sys.modules makes the module unfindable, as in an install without the extra.
    monkeypatch.setitem(sys.modules, "simcord", None)
    monkeypatch.chdir(tmp_path)  # no stray .env is read

    assert main(["demo", "--out", "unused"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "./run daybook demo" in captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("hook", ["ruff check", "ruff format --check"])
def test_pre_commit_runs_the_locked_ruff(hook) -> None:
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")

    # Through ./run: the dev group's ruff from uv.lock, no second pin to keep in step.
    assert f"entry: ./run {hook}" in config
    assert "rev:" not in config


def find_uv() -> str:
    """Return the uv ./run uses: its own copy in .tools, else the one on PATH."""
    own = ROOT / ".tools" / "uv" / "bin" / "uv"
    if own.exists():
        return str(own)
    found = shutil.which("uv")
    if found is None:
        pytest.fail("no uv to build the wheel with: run the tests through ./run, which installs it")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # Offline: the build backend (hatchling, pinned in [build-system]) is in uv's cache since
    # ./run built the project into .venv; a test never reaches the network.
    subprocess.run(
        [find_uv(), "build", "--offline", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("daybook-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_says_it_is_mit_licensed_and_carries_the_licence(wheel) -> None:
    names = wheel.namelist()
    (metadata_name,) = [name for name in names if name.endswith(".dist-info/METADATA")]
    metadata = email.parser.Parser().parsestr(wheel.read(metadata_name).decode("utf-8"))

    # PEP 639: an SPDX expression and the file it names, with no License :: classifier.
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert not [c for c in metadata.get_all("Classifier") or [] if c.startswith("License ::")]
    assert "Private :: Do Not Upload" not in (metadata.get_all("Classifier") or [])
    (licence,) = [name for name in names if name.endswith(".dist-info/licenses/LICENSE")]
    assert wheel.read(licence) == (ROOT / "LICENSE").read_bytes()
    assert b"MIT License" in wheel.read(licence)


def test_the_image_carries_the_licence() -> None:
    copies = [line for line in DOCKERFILE.splitlines() if line.startswith("COPY ")]

    assert any("LICENSE" in line.split() for line in copies)
