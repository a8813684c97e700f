"""docker-compose.yml: PostgreSQL with a volume and a health check, and Daybook processes that
share it and split the shards, each reading settings the bot accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "s3cretpassword"


def interpolated(text: str, variables: dict[str, str]) -> str:
    """Replace ${NAME}, ${NAME:-default} and ${NAME:?error} as compose does (the forms used)."""

    def value(match: re.Match[str]) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if operator == ":-":
            return rest
        raise AssertionError(f"compose would stop: {name} is not set ({rest})")

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", value, text)


def compose(variables: dict[str, str]) -> dict[str, Any]:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(interpolated(text, variables))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture
def services() -> dict[str, Any]:
    found = compose({"POSTGRES_PASSWORD": PASSWORD})["services"]
    assert isinstance(found, dict)
    return found


def daybooks(services: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: service for name, service in services.items() if name.startswith("daybook")}


def test_without_a_password_compose_stops_with_a_sentence() -> None:
    with pytest.raises(AssertionError, match="POSTGRES_PASSWORD"):
        compose({})


def test_postgresql_keeps_its_data_on_a_volume_and_says_when_it_is_ready(services) -> None:
    postgres = services["postgres"]
    volumes = compose({"POSTGRES_PASSWORD": PASSWORD})["volumes"]

    mounted = {volume.split(":")[0]: volume.split(":")[1] for volume in postgres["volumes"]}
    assert mounted == {"postgres-data": "/var/lib/postgresql/data"}
    assert "postgres-data" in volumes
    check = " ".join(postgres["healthcheck"]["test"])
    assert "pg_isready" in check
    assert f"--username={postgres['environment']['POSTGRES_USER']}" in check
    assert f"--dbname={postgres['environment']['POSTGRES_DB']}" in check
    assert postgres["environment"]["POSTGRES_PASSWORD"] == PASSWORD


def test_every_daybook_process_waits_for_a_healthy_postgresql_and_uses_it(services) -> None:
    postgres = services["postgres"]["environment"]
    processes = daybooks(services)

    assert len(processes) >= 2
    for name, service in processes.items():
        assert service["depends_on"] == {"postgres": {"condition": "service_healthy"}}, name
        # Restarted only on a non-zero status: `daybook run` ends 0 when a restart cannot help.
        assert service["restart"] == "on-failure", name
        # The health check comes from the image (`daybook health`), not overridden here.
        assert "healthcheck" not in service, name
        url = make_url(service["environment"]["DAYBOOK_DATABASE_URL"])
        assert url.drivername == "postgresql+asyncpg", name
        assert (url.host, url.port) == ("postgres", 5432), name
        assert (url.username, url.password) == (postgres["POSTGRES_USER"], PASSWORD), name
        assert url.database == postgres["POSTGRES_DB"], name


def test_the_processes_split_the_shards_each_exactly_once(services) -> None:
    shards: list[int] = []
    counts = set()
    for service in daybooks(services).values():
        environment = service["environment"]
        settings = Settings(
            database_url=environment["DAYBOOK_DATABASE_URL"],
            shard_count=environment["DAYBOOK_SHARD_COUNT"],
            shard_ids=environment["DAYBOOK_SHARD_IDS"],
        )
        assert settings.shard_count is not None
        counts.add(settings.shard_count)
        shards.extend(sorted(settings.shards().ids))

    assert len(counts) == 1
    assert sorted(shards) == list(range(counts.pop()))


def test_the_image_has_the_postgresql_driver_the_processes_need() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert "--extra postgres" in dockerfile
