"""Campaigns: a 10,000-recipient campaign is built in time; the group counter and SMS counter."""

# A fresh book in a temporary folder: 10,000 contacts with phones, every one tagged "All",
# half "VIP", a third in their own time zone, a few opted out or marked do not contact. The
# figure is CampaignService.launch: the audience query, the left-out reasons, rendering,
# pacing into each recipient's window, one outbox row each (executemany), the recipients and
# the thread rows, in one write transaction. Each run launches a new campaign to everyone.
# Also: GroupService.count on a tag-and-field definition (the editor's live counter), and
# sms_length on a 1,000-character message (the composer's counter, per keystroke), and
# CampaignService.resume of the last campaign after a pause, and before it the first claim once
# the paused campaigns' rows fall due (every due row held in one write, not a batch a round).
#     python bench/bench_campaign.py [--runs N] [--contacts N]

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Figure, Report, machine, median, percentile

BUILD_TARGET_MS = 2_000.0
COUNT_TARGET_MS = 10.0
SEGMENTS_TARGET_MS = 5.0
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Singapore")


class _Clock:
    def now(self) -> datetime:
        return datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def seed(database: Path, contacts: int) -> None:
    connection = sqlite3.connect(database)
    connection.executemany(
        "INSERT INTO contacts (id, first_name, last_name, phone, email, company, time_zone, "
        "no_sms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (n, f"First{n}", f"Last{n}", f"+1555{n:07d}", f"c{n}@example.com",
             f"Company {n % 97}", ZONES[n % 3] if n % 3 else "", int(n % 500 == 0))
            for n in range(1, contacts + 1)
        ],
    )  # fmt: skip
    tags = [(n, "all", "All") for n in range(1, contacts + 1)]
    tags += [(n, "vip", "VIP") for n in range(1, contacts + 1, 2)]
    connection.executemany(
        "INSERT INTO contact_tags (contact_id, tag_key, tag) VALUES (?, ?, ?)", tags
    )
    connection.executemany(
        "INSERT INTO opt_outs (channel, address, reason) VALUES ('sms', ?, 'STOP')",
        [(f"+1555{n:07d}",) for n in range(7, contacts + 1, 700)],
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--contacts", type=int, default=10_000)
    args = parser.parse_args()

    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.domain.campaigns import AudienceSpec, CampaignDraft
    from leadcartel_desktop.domain.contact_groups import GroupDefinition
    from leadcartel_desktop.domain.outbox import Channel
    from leadcartel_desktop.domain.sms import sms_length

    report = Report("bench_campaign")
    report.note("machine", machine())
    body = "Hi {first_name}, the spring sale at {business_name} starts today. Reply STOP to stop."
    with tempfile.TemporaryDirectory() as folder:
        context = build_context(Path(folder), _Clock())
        try:
            seed(context.paths.database, args.contacts)
            campaigns = context.services.campaigns
            build_ms: list[float] = []
            queued = 0
            for run in range(args.runs):
                draft = CampaignDraft(
                    f"Spring {run}", Channel.SMS, body, audience=AudienceSpec(tags=("All",)),
                    per_minute=120,
                )  # fmt: skip
                campaign_id = campaigns.save_draft(draft)
                started = time.perf_counter()
                result = campaigns.launch(campaign_id)
                build_ms.append((time.perf_counter() - started) * 1000)
                queued = result.queued
                assert result.queued + result.left_out == args.contacts, result
            # Resume re-paces every waiting row (keeping any provider's Retry-After): as big a
            # write as the build, so it gets the build's target.
            launched = [summary.id for summary in campaigns.list()]
            for each in launched:
                campaigns.pause(each)
            outbox = context.services.outbox
            later = _Clock().now() + timedelta(days=30)
            claimed: list[object] = []
            hold_ms = _timed(lambda: claimed.extend(outbox.claim_slots(later, {Channel.SMS: 4})))
            assert not claimed and len(launched) == args.runs, claimed
            resume_ms = _timed(lambda: campaigns.resume(campaign_id))
            groups = context.services.groups
            definition = GroupDefinition(
                any_tags=frozenset({"VIP"}), company_contains="Company 1", has_phone=True
            )
            groups.count(definition)
            count_ms = [_timed(lambda: groups.count(definition)) for _ in range(30)]
        finally:
            context.close()
    text = "Grüße " * 166 + "ab€d"  # 1,000 characters, UCS-2
    assert len(text) == 1_000
    segment_ms = [_timed(lambda: sms_length(text)) for _ in range(200)]
    report.note("recipients", {"contacts": args.contacts, "queued": queued})
    report.add(
        Figure(
            f"build a {args.contacts:,}-recipient campaign (max)",
            max(build_ms),
            "ms",
            BUILD_TARGET_MS,
            note=f"median {median(build_ms):.0f}, {queued:,} queued, n={len(build_ms)}",
        )
    )
    report.add(
        Figure(
            "first claim once paused campaigns' rows are due",
            hold_ms,
            "ms",
            BUILD_TARGET_MS,
            note=f"{args.runs} campaigns, {queued * args.runs:,} rows held",
        )
    )
    report.add(
        Figure(
            f"resume a paused {args.contacts:,}-recipient campaign",
            resume_ms,
            "ms",
            BUILD_TARGET_MS,
            note=f"{queued:,} waiting rows re-paced",
        )
    )
    report.add(
        Figure(
            f"group count on {args.contacts:,} contacts (p95)",
            percentile(count_ms, 0.95),
            "ms",
            COUNT_TARGET_MS,
            note=f"median {median(count_ms):.2f}, n={len(count_ms)}",
        )
    )
    report.add(
        Figure(
            "SMS counter, 1,000-character message (p95)",
            percentile(segment_ms, 0.95),
            "ms",
            SEGMENTS_TARGET_MS,
            note=f"median {median(segment_ms):.3f}, n={len(segment_ms)}",
        )
    )
    return report.finish()


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    raise SystemExit(main())
