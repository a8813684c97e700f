"""What the command line tells the operator when it refuses or fails: one line each.

Each function takes plain values (paths, revisions, what a library said) and returns a sentence
without the `daybook: ` prefix the command line adds. Each says what happened and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

SHOWN_TABLES = 3

LOGIN_REFUSED = (
    "Discord refused the token in DAYBOOK_DISCORD_TOKEN: copy the bot's token again from the"
    " Developer Portal (Bot, Reset Token)."
)
INTENT_REFUSED = (
    "Discord refused the Message Content intent: enable it in the Developer Portal (Bot,"
    " Privileged Gateway Intents), or set DAYBOOK_MESSAGE_CONTENT=false."
)
INVITE_NEEDS_ID = (
    "the invite needs the application's id: set DAYBOOK_DISCORD_TOKEN (the id is read from it,"
    " nothing is sent anywhere) or give --client-id ID (the Developer Portal's Application ID)."
)
INVITE_INTENT_NOTE = (
    "DAYBOOK_MESSAGE_CONTENT is on, so Daybook also needs the Message Content intent, which no"
    " invite can grant: turn it on in the Developer Portal (Bot, Privileged Gateway Intents)."
)
PG_DUMP_MISSING = (
    "backing up PostgreSQL needs pg_dump (the PostgreSQL client tools, e.g. the postgresql-client"
    " package), and there is none on PATH; nothing was written."
)


def database_missing(location: str, evidence: str, since: datetime | None) -> str:
    """Start refused: the SQLite file Daybook kept at `location` is missing or empty."""
    if since is not None:
        before = f"Daybook created one there by {since:%Y-%m-%d} ({evidence} records it)"
    else:
        before = f"{evidence} was left there by an earlier database"
    return (
        f"there is no Daybook database at {location} (missing or empty), but {before}. Daybook"
        " will not start on a new, empty database: restore the file from a backup or fix the"
        " volume mount, or run `daybook migrate` to create a new one."
    )


def database_foreign(location: str, tables: Sequence[str]) -> str:
    """Start refused: the database holds other tables and none of Daybook's."""
    return (
        f"the database at {location} holds tables that are not Daybook's ({_listed(tables)}), so"
        " Daybook will not add its own as it starts: check DAYBOOK_DATABASE_URL, or run"
        " `daybook migrate` to add Daybook's tables to this database."
    )


def database_unknown_revision(location: str, revision: str) -> str:
    """Refused: the database is at a revision this Daybook's migrations do not define."""
    return (
        f"the database at {location} is at revision {revision}, which this version of Daybook"
        " does not know (a newer version upgraded it): run that version, or restore a backup"
        " made by this one."
    )


def shards_taken(
    location: str, ids: list[int], count: int, taken: list[int], counts: list[int]
) -> str:
    """Refused: other processes on the database run some of these shards, or another count."""
    mine = f"DAYBOOK_SHARD_IDS={','.join(map(str, ids))} of DAYBOOK_SHARD_COUNT={count}"
    if taken:
        named = ", ".join(map(str, taken))
        verb = "run" if len(taken) > 1 else "runs"
        why = f"shard{'s' if len(taken) > 1 else ''} {named} already {verb} in another process"
    else:
        why = f"other processes count {' or '.join(map(str, counts))} shards"
    return (
        f"not starting {mine}: {why} on the database at {location}. Every shard runs in exactly"
        " one process, and every process has the same DAYBOOK_SHARD_COUNT: fix the settings, or"
        " stop every process before changing the count (if that process has just stopped, start"
        " this one again in a minute)."
    )


def database_failed(location: str, detail: str) -> str:
    """The database at `location` could not be opened or changed."""
    return f"cannot use the database at {location}: {detail}"


def web_database_not_ready(location: str, revision: str | None, head: str) -> str:
    """`daybook web` refused: the database is not one this version's bot has made ready."""
    if revision is None:
        found = f"there is no Daybook database at {location} yet"
    else:
        found = f"the database at {location} is at revision {revision}, not {head} as this version"
    return (
        f"{found}: start this version's bot on it first (`daybook run` creates and upgrades it),"
        " or run `daybook migrate`. `daybook web` only reads the database, never creates or"
        " upgrades it."
    )


def migrated(location: str, before: str | None, after: str) -> str:
    """What `daybook migrate` did: created, upgraded, or found the newest revision."""
    if before is None:
        return f"Created Daybook's tables in {location}: the database is at revision {after}."
    if before != after:
        return f"Upgraded {location} from revision {before}: the database is at revision {after}."
    return f"Database is at revision {after}, the newest: nothing to do."


def backed_up(path: str) -> str:
    """What `daybook backup` did."""
    return f"Backed up to {path}."


def backup_is_directory(path: str) -> str:
    """Backup refused: the target is a folder."""
    return f"{path} is a directory; give a file path (such as {path}/daybook-backup.db)."


def backup_not_a_file(path: str) -> str:
    """Backup refused: the target exists and is a device, a pipe or a link."""
    return (
        f"{path} is not a plain file (a device, a pipe or a link); give the path of a new or "
        "existing plain file. Nothing was written."
    )


def backup_is_live(path: str) -> str:
    """Backup refused: the target is the live database (or one of its files)."""
    return f"{path} is the live database itself; give another file path for the copy."


def backup_source_missing(location: str) -> str:
    """Backup refused: there is no Daybook database where the settings point."""
    return (
        f"there is no Daybook database at {location} to back up (check DAYBOOK_DATABASE_URL);"
        " nothing was written."
    )


def backup_unwritable(path: str, detail: str) -> str:
    """The copy could not be written (its folder, the disk); nothing was left behind."""
    return f"cannot write the backup {path}: {detail}; nothing was written."


def pg_dump_failed(detail: str) -> str:
    """pg_dump ran and failed."""
    return f"pg_dump failed, nothing was written: {detail}"


def stopped_for_good(line: str) -> str:
    """`daybook run` refused to go on: what to fix, and that it will not retry by itself."""
    return (
        f"{line} Daybook has stopped for good (a restart cannot mend this): fix it, then start"
        " it again."
    )


def discord_unreachable(detail: str) -> str:
    """The bot could not reach Discord at all."""
    return f"cannot reach Discord ({detail}): check the network connection and try again."


def discord_failed(status: int, detail: str) -> str:
    """Discord answered the login with an error other than a refused token."""
    return f"Discord answered {status} ({detail}) as the bot logged in: try again later."


def unexpected(command: str, kind: str, detail: str) -> str:
    """Anything else: what failed, and how to see the details."""
    said = f"{kind}: {detail}" if detail else kind
    return (
        f"`daybook {command}` failed ({said}); run it with DAYBOOK_LOG_LEVEL=DEBUG for the details."
    )


def _listed(names: Sequence[str]) -> str:
    """List a few names, then say how many more."""
    shown = ", ".join(names[:SHOWN_TABLES])
    hidden = len(names) - SHOWN_TABLES
    return f"{shown} and {hidden} more" if hidden > 0 else shown
