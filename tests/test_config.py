"""Settings come from keyword arguments, DAYBOOK_* variables or .env, in that order of priority."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.config import ConfigError, Settings, SettingsError, load_settings
from storage.shards import Shards

FAKE_TOKEN = "fake-token-for-tests-0123456789"


@pytest.fixture(autouse=True)
def clean_environment(bare_settings: Path) -> Path:
    """Hide the developer's DAYBOOK_* variables and .env: each test starts from the defaults."""
    return bare_settings


def test_defaults_need_no_environment() -> None:
    settings = Settings()

    assert settings.discord_token is None
    assert settings.database_url == "sqlite+aiosqlite:///./data/daybook.db"
    assert settings.dev_guild_id is None
    assert settings.message_content is False
    assert settings.log_level == "INFO"
    assert settings.shard_ids is None
    assert settings.shard_count is None


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", "postgresql+asyncpg://u@db/daybook")
    monkeypatch.setenv("DAYBOOK_DEV_GUILD_ID", "1234567890")
    monkeypatch.setenv("DAYBOOK_MESSAGE_CONTENT", "true")
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "debug")

    settings = Settings()

    assert settings.database_url == "postgresql+asyncpg://u@db/daybook"
    assert settings.dev_guild_id == 1234567890
    assert settings.message_content is True
    assert settings.log_level == "DEBUG"


def test_dotenv_in_the_working_directory_is_read(clean_environment: Path) -> None:
    (clean_environment / ".env").write_text(
        "DAYBOOK_DATABASE_URL=sqlite+aiosqlite:///./from-dotenv.db\n"
        f"DAYBOOK_DISCORD_TOKEN={FAKE_TOKEN}\n"
        "UNRELATED_SETTING=ignored\n",
        encoding="utf-8",
    )

    settings = Settings()

    assert settings.database_url == "sqlite+aiosqlite:///./from-dotenv.db"
    assert settings.require_token() == FAKE_TOKEN


def test_environment_wins_over_dotenv(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_environment / ".env").write_text("DAYBOOK_LOG_LEVEL=ERROR\n", encoding="utf-8")
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "WARNING")

    assert Settings().log_level == "WARNING"


def test_keyword_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", "sqlite+aiosqlite:///./env.db")

    settings = Settings(database_url="sqlite+aiosqlite:///./kwarg.db")

    assert settings.database_url == "sqlite+aiosqlite:///./kwarg.db"


def test_empty_values_in_dotenv_mean_unset(clean_environment: Path) -> None:
    (clean_environment / ".env").write_text(
        "DAYBOOK_DISCORD_TOKEN=\nDAYBOOK_DEV_GUILD_ID=\nDAYBOOK_SHARD_IDS=\n", encoding="utf-8"
    )

    settings = Settings()

    assert settings.discord_token is None
    assert settings.dev_guild_id is None
    assert settings.shard_ids is None


def test_unknown_daybook_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAYBOOK_NOT_A_SETTING", "x")

    assert Settings().log_level == "INFO"


def test_token_never_appears_in_repr_str_or_dump() -> None:
    settings = Settings(discord_token=SecretStr(FAKE_TOKEN))

    for text in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        str(settings.model_dump()),
    ):
        assert FAKE_TOKEN not in text
    assert settings.require_token() == FAKE_TOKEN


def test_token_from_environment_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", FAKE_TOKEN)

    settings = Settings()

    assert isinstance(settings.discord_token, SecretStr)
    assert FAKE_TOKEN not in repr(settings)
    assert settings.require_token() == FAKE_TOKEN


@pytest.mark.parametrize("token", [None, "", "   "])
def test_require_token_without_a_token_names_the_variable(token: str | None) -> None:
    settings = Settings(discord_token=None if token is None else SecretStr(token))

    with pytest.raises(ConfigError, match="DAYBOOK_DISCORD_TOKEN"):
        settings.require_token()


@pytest.mark.parametrize("level", ["VERBOSE", "", "NOTSET", "info2"])
def test_unknown_log_level_is_rejected(level: str) -> None:
    with pytest.raises(ValidationError, match="must be one of DEBUG, INFO, WARNING"):
        Settings(log_level=level)


@pytest.mark.parametrize(("level", "expected"), [("warn", "WARN"), (" error ", "ERROR")])
def test_log_level_aliases_and_spaces_are_accepted(level: str, expected: str) -> None:
    assert Settings(log_level=level).log_level == expected


@pytest.mark.parametrize(
    ("variables", "problems"),
    [
        (
            {"DAYBOOK_LOG_LEVEL": "verbose"},
            ["DAYBOOK_LOG_LEVEL=verbose: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"],
        ),
        (
            {"DAYBOOK_DEV_GUILD_ID": "my-server"},
            ["DAYBOOK_DEV_GUILD_ID=my-server: must be a whole number"],
        ),
        ({"DAYBOOK_DEV_GUILD_ID": "0"}, ["DAYBOOK_DEV_GUILD_ID=0: must be greater than 0"]),
        (
            {"DAYBOOK_MESSAGE_CONTENT": "maybe"},
            ["DAYBOOK_MESSAGE_CONTENT=maybe: must be true or false"],
        ),
        (
            {"DAYBOOK_SHARD_IDS": "0,one", "DAYBOOK_SHARD_COUNT": "2"},
            ["DAYBOOK_SHARD_IDS contains one: must be a whole number"],
        ),
        (
            {"DAYBOOK_SHARD_IDS": "0,1"},
            ["DAYBOOK_SHARD_IDS needs DAYBOOK_SHARD_COUNT (the total number of shards)"],
        ),
        (
            # Numbered from 1 by mistake: Discord numbers shards from 0.
            {"DAYBOOK_SHARD_IDS": "1,2", "DAYBOOK_SHARD_COUNT": "2"},
            ["DAYBOOK_SHARD_IDS names shard 2, but DAYBOOK_SHARD_COUNT=2 numbers them 0 to 1"],
        ),
        (
            {"DAYBOOK_SHARD_IDS": ",", "DAYBOOK_SHARD_COUNT": "2"},
            [
                (
                    "DAYBOOK_SHARD_IDS names no shard: list the shards this process runs"
                    " (like 0,1),"
                    " or leave it unset to run all 2 here"
                )
            ],
        ),
        (
            {
                "DAYBOOK_SHARD_IDS": " ",
                "DAYBOOK_SHARD_COUNT": "4",
                "DAYBOOK_DATABASE_URL": "postgresql+asyncpg://daybook@db/daybook",
            },
            [
                (
                    "DAYBOOK_SHARD_IDS names no shard: list the shards this process runs"
                    " (like 0,1),"
                    " or leave it unset to run all 4 here"
                )
            ],
        ),
        (
            {"DAYBOOK_LOG_LEVEL": "very verbose"},
            [
                (
                    "DAYBOOK_LOG_LEVEL='very verbose': must be one of DEBUG, INFO, WARNING, ERROR,"
                    " CRITICAL"
                )
            ],
        ),
        (
            {"DAYBOOK_MESSAGE_CONTENT": "no", "DAYBOOK_SHARD_COUNT": "-1"},
            ["DAYBOOK_SHARD_COUNT=-1: must be greater than 0"],
        ),
    ],
)
def test_load_settings_names_each_bad_variable_and_what_it_must_be(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], problems: list[str]
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as refused:
        load_settings()

    assert list(refused.value.problems) == problems
    assert isinstance(refused.value, ConfigError)


def test_load_settings_cuts_a_long_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAYBOOK_DEV_GUILD_ID", "x" * 500)

    with pytest.raises(SettingsError) as refused:
        load_settings()

    (problem,) = refused.value.problems
    assert problem == f"DAYBOOK_DEV_GUILD_ID={'x' * 59}\u2026: must be a whole number"


def test_load_settings_reports_a_dotenv_it_cannot_decode(clean_environment: Path) -> None:
    (clean_environment / ".env").write_bytes(b"DAYBOOK_LOG_LEVEL=\xff\xfe\n")

    with pytest.raises(SettingsError, match=r"cannot read the settings file \.env"):
        load_settings()


def test_load_settings_returns_the_settings_when_all_is_well(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "debug")

    assert load_settings() == Settings(log_level="DEBUG")


@pytest.mark.parametrize(("raw", "expected"), [("0,1", [0, 1]), ("[0, 2]", [0, 2]), (" 3 ", [3])])
def test_shard_ids_accept_commas_or_json(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[int]
) -> None:
    monkeypatch.setenv("DAYBOOK_SHARD_IDS", raw)
    monkeypatch.setenv("DAYBOOK_SHARD_COUNT", "4")
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", POSTGRES)

    settings = Settings()

    assert settings.shard_ids == expected
    assert settings.shard_count == 4


def test_shard_ids_need_a_shard_count() -> None:
    with pytest.raises(ValidationError, match="SHARD_COUNT"):
        Settings(shard_ids=[0, 1])


def test_shard_ids_must_be_below_the_shard_count() -> None:
    with pytest.raises(ValidationError, match="names shard 2,"):
        Settings(shard_ids=[0, 2], shard_count=2)


def test_importing_config_reads_nothing(clean_environment: Path) -> None:
    # A broken environment must not break `import bot.config`: only Settings() reads it.
    (clean_environment / ".env").write_text("DAYBOOK_LOG_LEVEL=bogus\n", encoding="utf-8")
    env = {**os.environ, "DAYBOOK_DEV_GUILD_ID": "not-a-number"}

    result = subprocess.run(
        [sys.executable, "-c", "import bot.config, bot.log, bot.clock, bot.errors"],
        cwd=clean_environment,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    with pytest.raises(ValidationError):
        Settings()


def test_env_example_names_every_setting_and_loads_as_defaults(clean_environment: Path) -> None:
    example = (Path(__file__).resolve().parent.parent / ".env.example").read_text(encoding="utf-8")
    (clean_environment / ".env").write_text(example, encoding="utf-8")

    for field in Settings.model_fields:
        assert f"DAYBOOK_{field.upper()}=" in example, field
    assert Settings() == Settings(_env_file=None)


POSTGRES = "postgresql+asyncpg://daybook@db/daybook"


@pytest.mark.parametrize(
    "url", ["sqlite+aiosqlite:///./data/daybook.db", "sqlite:///d.db", " SQLite+aiosqlite:///x"]
)
def test_some_of_the_shards_on_sqlite_are_refused_with_a_sentence(url: str) -> None:
    # Other processes would run the other shards, each on its own copy of nothing: a SQLite
    # file has one writer, in one process.
    with pytest.raises(ValidationError, match="DAYBOOK_SHARD_IDS runs 2 of 4 shards") as raised:
        Settings(shard_ids=[0, 1], shard_count=4, database_url=url)

    assert "postgresql+asyncpg://" in str(raised.value)


def test_every_shard_in_one_process_may_use_sqlite() -> None:
    everything = Settings(shard_ids=[1, 0], shard_count=2)
    counted_only = Settings(shard_count=3)

    assert everything.shard_ids == [1, 0]
    assert counted_only.shard_count == 3


def test_some_of_the_shards_on_postgresql_are_accepted() -> None:
    settings = Settings(shard_ids=[2], shard_count=4, database_url=POSTGRES)

    assert settings.shard_ids == [2]


def test_shards_of_the_settings_are_the_process_own() -> None:
    assert Settings(database_url="sqlite+aiosqlite:///x.db").shards() == Shards.every(1)
    assert Settings(database_url="sqlite+aiosqlite:///x.db", shard_count=4).shards().whole
    some = Settings(database_url="postgresql+asyncpg://h/db", shard_count=4, shard_ids=[1, 3])
    assert some.shards() == Shards.of(4, [1, 3])
