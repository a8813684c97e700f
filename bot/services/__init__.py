"""Use cases that cogs and scheduled jobs call; no Discord here."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

from bot.services.attachments import DEFAULT_QUOTA_MB, AttachmentService
from bot.services.challenges import ChallengeService
from bot.services.charts import ChartService
from bot.services.delivery import ReminderDelivery
from bot.services.digests import DigestService
from bot.services.entries import EntryService
from bot.services.exports import ExportService
from bot.services.help import HelpService
from bot.services.logs import LogService
from bot.services.milestones import MilestoneService
from bot.services.names import NameService
from bot.services.organizers import OrganizerService
from bot.services.parse_worker import LogReader
from bot.services.participants import ParticipantService
from bot.services.problems import DeliveryProblemService
from bot.services.progress import ProgressService
from bot.services.public import PublicPageService
from bot.services.reminders import ReminderService
from bot.services.send_ledger import SendLedger
from bot.services.stats import StatsService
from bot.services.walk_cache import WalkCache
from storage import Database
from storage.shards import Shards


@dataclass(frozen=True, slots=True)
class Services:
    """Every service, as cogs and jobs receive them."""

    challenges: ChallengeService
    participants: ParticipantService
    entries: EntryService
    progress: ProgressService
    charts: ChartService
    send_ledger: SendLedger
    """The send ledger: whatever must be sent (or done) at most once per key."""
    organizers: OrganizerService
    reminders: ReminderService
    delivery: ReminderDelivery
    digests: DigestService
    logs: LogService
    problems: DeliveryProblemService
    """Channels Discord refuses: recorded, cleared, and told to organizers once."""
    attachments: AttachmentService
    """Daybook's own copy of posts' files (Discord's URLs expire)."""
    milestones: MilestoneService
    """Check-ins, milestones and the roles organizers map to them."""
    help: HelpService
    stats: StatsService
    """A challenge's numbers for its organizers (/challenge stats)."""
    exports: ExportService
    """A challenge's data for its organizers (/challenge export)."""
    names: NameService
    """Members' display names as Daybook last saw them (the public page reads them)."""
    public: PublicPageService
    """The public pages of the challenges whose organizers turned them on."""

    @classmethod
    def build(
        cls,
        db: Database,
        *,
        chart_executor: Executor | None = None,
        log_reader: LogReader | None = None,
        attachment_quota_mb: int = DEFAULT_QUOTA_MB,
        shards: Shards | None = None,
    ) -> Services:
        """Wire every service to one database; charts render in `chart_executor`.

        `shards` are the process's own (every shard by default): the services with scheduled
        work (reminders, nudges, digests, checkpoint refreshes, delivery problems, the role
        sweep, expired previews) find due work only in their servers.

        Without an executor, charts render in the event loop's default thread pool. Uploaded
        logs are read by `log_reader`; without one, each in a worker process with a budget
        (bot/services/parse_worker.py `ProcessReader`).
        """
        owned = shards or Shards.every()
        # Kept coherent by the change versions each board read checks, whichever process wrote
        # (bot/services/walk_cache.py), not by this process's own change notes.
        walks = WalkCache()
        ledger = SendLedger(db)
        challenges = ChallengeService(db)
        progress = ProgressService(db, walks, ledger, shards=owned)
        reminders = ReminderService(db, shards=owned)
        problems = DeliveryProblemService(db, shards=owned)
        charts = ChartService(progress, chart_executor)
        names = NameService(db)
        digests = DigestService(db, progress, ledger, problems, shards=owned)
        return cls(
            challenges=challenges,
            participants=ParticipantService(db, names),
            entries=EntryService(db),
            progress=progress,
            charts=charts,
            send_ledger=ledger,
            organizers=OrganizerService(db, challenges),
            reminders=reminders,
            delivery=ReminderDelivery(reminders, problems),
            problems=problems,
            digests=digests,
            logs=LogService(db, log_reader, shards=owned),
            attachments=AttachmentService(db, quota=attachment_quota_mb * 1024 * 1024),
            milestones=MilestoneService(db, shards=owned),
            help=HelpService(db),
            stats=StatsService(db, progress, charts),
            exports=ExportService(db),
            names=names,
            public=PublicPageService(db, progress, digests, names),
        )
