"""`daybook invite`: the address, exactly the permissions Daybook's code uses, and why each."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.cli import main
from bot.domain.delivery import NEEDED_PERMISSIONS
from bot.invite import (
    BASE,
    CHANNEL_POSTS,
    ROLES,
    ClientIdError,
    client_id_from_token,
    invite_url,
    needed,
    parse_client_id,
    permissions_of,
)

ROOT = Path(__file__).resolve().parents[1]
APP_ID = 123456789012345678

# Discord's documented bits (Permissions, "Bitwise Permission Flags"), written from the docs.
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
ADD_REACTIONS = 1 << 6
READ_MESSAGE_HISTORY = 1 << 16
SEND_MESSAGES_IN_THREADS = 1 << 38
MANAGE_ROLES = 1 << 28
DOCUMENTED = {
    "view_channel": VIEW_CHANNEL,
    "send_messages": SEND_MESSAGES,
    "embed_links": EMBED_LINKS,
    "attach_files": ATTACH_FILES,
    "add_reactions": ADD_REACTIONS,
    "read_message_history": READ_MESSAGE_HISTORY,
    "send_messages_in_threads": SEND_MESSAGES_IN_THREADS,
    "manage_roles": MANAGE_ROLES,
}


@pytest.fixture
def environment(bare_settings) -> None:
    """No DAYBOOK_ setting but those a test sets; no stray .env."""


def token_for(user_id: int) -> str:
    """A token shaped like Discord's: the bot user's id in base64, a timestamp, an HMAC."""
    first = base64.b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{first}.GhXa1b.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.mark.parametrize(
    ("channel_posts", "roles", "expected"),
    [
        (False, False, VIEW_CHANNEL + SEND_MESSAGES + EMBED_LINKS + ATTACH_FILES),
        (False, True, VIEW_CHANNEL + SEND_MESSAGES + EMBED_LINKS + ATTACH_FILES + MANAGE_ROLES),
        (
            True,
            True,
            VIEW_CHANNEL
            + SEND_MESSAGES
            + EMBED_LINKS
            + ATTACH_FILES
            + ADD_REACTIONS
            + READ_MESSAGE_HISTORY
            + SEND_MESSAGES_IN_THREADS
            + MANAGE_ROLES,
        ),
    ],
)
def test_the_integer_is_the_sum_of_the_documented_bits(channel_posts, roles, expected) -> None:
    assert permissions_of(needed(channel_posts=channel_posts, roles=roles)).value == expected


def test_base_set_is_52224_as_the_docs_add_up() -> None:
    # 1024 + 2048 + 16384 + 32768: View Channels, Send Messages, Embed Links, Attach Files.
    assert permissions_of(BASE).value == 52224


def test_each_permission_is_asked_for_once_and_says_why() -> None:
    everything = (*BASE, *CHANNEL_POSTS, *ROLES)
    assert len({item.flag for item in everything}) == len(everything)
    assert {item.flag for item in everything} == set(DOCUMENTED)
    for item in everything:
        assert item.why
        # The label is Discord's name for the flag as the client shows it.
        assert item.label.lower().replace(" ", "_") in {item.flag, "view_channels"}


def test_the_url_has_discords_form() -> None:
    url = invite_url(APP_ID, permissions_of(BASE))
    assert url == (
        "https://discord.com/oauth2/authorize?client_id=123456789012345678"
        "&scope=bot+applications.commands&permissions=52224"
    )
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["bot applications.commands"]


def test_the_client_id_is_read_from_a_token() -> None:
    assert client_id_from_token(token_for(APP_ID)) == APP_ID
    # Discord's tokens use base64's URL alphabet too; an id with 19 digits.
    assert client_id_from_token(token_for(1_234_567_890_123_456_789)) == 1_234_567_890_123_456_789


@pytest.mark.parametrize("token", ["", "not-a-token", "!!!!.x.y", token_for(12345)])
def test_a_token_that_holds_no_id_is_refused(token) -> None:
    with pytest.raises(ClientIdError, match="--client-id"):
        client_id_from_token(token)


@pytest.mark.parametrize(
    "text",
    # A 17-digit id has no leading zero: "0" * 17 is the id 0, which no application has.
    ["12ab", "", "123", "-123456789012345678", "1" * 21, "\uff11" * 18, "0" * 17, "0" + "9" * 16],
)
def test_a_malformed_client_id_is_refused(text) -> None:
    with pytest.raises(ClientIdError):
        parse_client_id(text)


def test_an_id_past_64_bits_is_refused() -> None:
    with pytest.raises(ClientIdError, match="64 bits"):
        parse_client_id(str(1 << 64))
    assert parse_client_id(str((1 << 64) - 1)) == (1 << 64) - 1


# ------------------------------------------------------------------------------------------
# The set covers what the code does
# ------------------------------------------------------------------------------------------

# What each Discord call the code makes needs, from Discord's documentation of the endpoint.
# A reply carries a message reference, which needs Read Message History.
CALLS = {
    r"\.add_reaction\(": {"add_reactions", "read_message_history"},
    r"\.remove_reaction\(": {"read_message_history"},
    r"\.fetch_message\(": {"view_channel", "read_message_history"},
    r"\.history\(": {"view_channel", "read_message_history"},
    r"\.reply\(": {"send_messages", "read_message_history"},
    r"\.add_role\(|\.add_roles\(": {"manage_roles"},
    r"\.remove_role\(|\.remove_roles\(": {"manage_roles"},
    r"\.create_thread\(": {"create_public_threads"},
    r"\.pin\(": {"manage_messages"},
    r"\.create_invite\(": {"create_instant_invite"},
    r"\.edit\(nick": {"change_nickname"},
    r"\.create_webhook\(": {"manage_webhooks"},
}


def sources() -> dict[Path, str]:
    """The bot's code that runs in a deployment (the demo plays on a simulated Discord)."""
    files = [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("cogs").rglob("*.py")]
    return {
        path: path.read_text(encoding="utf-8")
        for path in files
        if "demo" not in path.relative_to(ROOT).parts
    }


def test_every_discord_call_in_the_code_has_its_permission_in_the_full_set() -> None:
    full = {item.flag for item in needed(channel_posts=True, roles=True)}
    found = set()
    for path, text in sources().items():
        for pattern, wanted in CALLS.items():
            if re.search(pattern, text):
                found.add(pattern)
                missing = wanted - full
                assert not missing, f"{path.name} calls {pattern!r}, which needs {missing}"
    # The audit is not vacuous: the code reacts, fetches, replies and gives roles.
    assert {r"\.add_reaction\(", r"\.fetch_message\(", r"\.reply\("} <= found
    assert r"\.add_role\(|\.add_roles\(" in found


def test_channel_permissions_the_bot_checks_before_sending_are_in_the_base_set() -> None:
    base = {item.flag for item in BASE}
    for names in NEEDED_PERMISSIONS.values():
        assert set(names) <= base


def test_what_channel_posts_need_is_only_asked_for_with_message_content() -> None:
    # The reactions, fetches and replies are all in the channel-posts cog, loaded only with
    # DAYBOOK_MESSAGE_CONTENT (bot/app.py's extensions_for).
    for path, text in sources().items():
        if re.search(r"\.add_reaction\(|\.fetch_message\(|\.reply\(", text):
            assert path == ROOT / "cogs" / "posts.py"


# ------------------------------------------------------------------------------------------
# The command
# ------------------------------------------------------------------------------------------


def test_invite_prints_the_url_then_each_permission_and_why(environment, capsys) -> None:
    assert main(["invite", "--client-id", str(APP_ID)]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = VIEW_CHANNEL + SEND_MESSAGES + EMBED_LINKS + ATTACH_FILES + MANAGE_ROLES
    assert out[1] == (
        f"https://discord.com/oauth2/authorize?client_id={APP_ID}"
        f"&scope=bot+applications.commands&permissions={expected}"
    )
    listed = [line.strip() for line in out[3:] if line.startswith("  ")]
    assert [line.split(":")[0] for line in listed] == [
        "View Channels",
        "Send Messages",
        "Embed Links",
        "Attach Files",
        "Manage Roles",
    ]
    assert "reminders" in listed[1]
    assert "Message Content" not in "\n".join(out)


def test_invite_reads_the_token_and_follows_message_content(
    environment, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", token_for(APP_ID))
    monkeypatch.setenv("DAYBOOK_MESSAGE_CONTENT", "true")
    assert main(["invite", "--no-roles"]) == 0
    out = capsys.readouterr().out
    url = next(line for line in out.splitlines() if line.startswith("https://"))
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [str(APP_ID)]
    assert int(query["permissions"][0]) == (
        VIEW_CHANNEL
        + SEND_MESSAGES
        + EMBED_LINKS
        + ATTACH_FILES
        + ADD_REACTIONS
        + READ_MESSAGE_HISTORY
        + SEND_MESSAGES_IN_THREADS
    )
    assert "Manage Roles" not in out
    assert "Message Content intent" in out
    assert token_for(APP_ID) not in out


def test_invite_without_a_token_or_id_is_one_polite_line(environment, capsys) -> None:
    assert main(["invite"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("daybook: the invite needs the application's id")
    assert "--client-id" in captured.err


@pytest.mark.parametrize("given", ["12ab", "123", "\x1b]0;title\x07"])
def test_invite_with_a_malformed_id_is_one_line(environment, capsys, given) -> None:
    assert main(["invite", "--client-id", given]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "is not an application id" in captured.err
    assert "\x1b" not in captured.err


def test_invite_with_a_token_that_holds_no_id_is_one_line(environment, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", "not-a-discord-token")
    assert main(["invite"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--client-id" in err
    assert "not-a-discord-token" not in err
