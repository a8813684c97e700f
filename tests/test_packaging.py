"""What ships: production installs carry no Discord simulator, and the demo says how to get it."""

from __future__ import annotations

import email.parser
import json
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


def healthcheck() -> tuple[dict[str, str], list[str]]:
    """The Dockerfile's HEALTHCHECK: its options and its exec-form command."""
    joined = DOCKERFILE.replace("\\\n", " ")
    found = [line for line in joined.splitlines() if line.startswith("HEALTHCHECK ")]
    assert len(found) == 1, "one HEALTHCHECK (Docker keeps only the last)"
    options_part, command = found[0].removeprefix("HEALTHCHECK ").split(" CMD ", 1)
    options = dict(re.findall(r"--([\w-]+)=(\S+)", options_part))
    return options, json.loads(command)


def seconds(duration: str) -> int:
    """Docker's durations as the HEALTHCHECK uses them: 30s, 5m."""
    number, unit = int(duration[:-1]), duration[-1]
    return number * {"s": 1, "m": 60}[unit]


def test_the_image_checks_its_health_with_daybook_health() -> None:
    from bot.cli import build_parser
    from bot.health import GATEWAY_GRACE, TICK_LATE

    options, command = healthcheck()

    assert command == ["daybook", "health"]
    assert build_parser().parse_args(command[1:]).command == "health"
    # Checked every 30 s (the check is light); a stuck check fails well before the next one.
    assert seconds(options["interval"]) == 60
    assert seconds(options["timeout"]) < seconds(options["interval"])
    assert int(options["retries"]) >= 2
    # A starting process is unhealthy until its shards are in: the start period must outlast
    # the first tick's limit and the gateway's grace, with room for shards to log in.
    assert seconds(options["start-period"]) > TICK_LATE.total_seconds()
    assert seconds(options["start-period"]) > GATEWAY_GRACE.total_seconds() + 120


def test_the_image_runs_the_bot_as_its_command() -> None:
    assert 'CMD ["daybook", "run"]' in DOCKERFILE.splitlines()
