"""Outbox drain: 1,000 text messages to the sandbox's Twilio server answering after 50 ms."""

# The app is wired as it ships (build_context: DefaultProviderFactory, the keychain through
# keyring (an in-memory backend here), TcpConnectivity, the OutboxWorker with its default
# per-channel limits: 8 SMS in flight). The sandbox runs in its own process, as a provider
# would, and admits at most --provider-limit requests at once (a 429 with Retry-After beyond
# that), so the figure is "within the provider's rate limit": any 429 shows up as retries.
# The drain is timed from the worker's start with all messages queued until every row is
# sent.
#     python bench/bench_outbox.py [--count 1000] [--latency-ms 50] [--provider-limit 10]

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from common import Figure, Report, machine

DRAIN_TARGET_S = 20.0


def _memory_keyring() -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.entries: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.entries.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())


def _provider(folder: str, latency_ms: int, limit: int, pipe: Connection) -> None:
    """The sandbox in its own process: sends its address, then counts what arrived."""
    from leadcartel_desktop.sandbox import Sandbox

    with Sandbox(Path(folder)) as sandbox:
        twilio = sandbox.controls("twilio")
        twilio.configure(latency_seconds=latency_ms / 1000, max_concurrency=limit)
        credentials = sandbox.credentials
        pipe.send(
            {
                "url": sandbox.twilio_url,
                "ca_bundle": str(sandbox.ca_bundle),
                "account_sid": credentials.twilio_account_sid,
                "from_number": credentials.twilio_from,
                "token": credentials.twilio_auth_token,
            }
        )
        pipe.recv()
        pipe.send(len(twilio.received()))


def run(count: int, latency_ms: int, provider_limit: int) -> int:
    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.domain.outbox import Channel, OutboxState
    from leadcartel_desktop.domain.providers import (
        ProviderKind,
        ProviderSettings,
        SecretName,
        TwilioSettings,
    )

    _memory_keyring()
    report = Report("bench_outbox")
    report.note("machine", machine())
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = spawn.Pipe()
        sandbox = str(Path(folder) / "sandbox")
        server = spawn.Process(target=_provider, args=(sandbox, latency_ms, provider_limit, theirs))
        server.start()
        provider = ours.recv()
        context = build_context(Path(folder) / "home")
        try:
            services = context.services
            services.providers.save(
                ProviderSettings(
                    sms=ProviderKind.TWILIO,
                    twilio=TwilioSettings(
                        account_sid=provider["account_sid"],
                        from_number=provider["from_number"],
                        base_url=provider["url"],
                    ),
                    ca_bundle=provider["ca_bundle"],
                )
            )
            services.providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, provider["token"])
            started = time.perf_counter()
            for n in range(count):
                services.outbox.enqueue(
                    Channel.SMS, f"+659{n:07d}", {"body": f"Reminder {n}: invoice due"}
                )
            queued_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            worker = context.start_sending()
            if not worker.wait_settled(300):
                raise TimeoutError("the outbox did not drain")
            drained = time.perf_counter() - started
            counts = services.outbox.counts()
            retried = sum(m.attempts - 1 for m in services.outbox.in_state(OutboxState.SENT, count))
        finally:
            context.close()
            ours.send("count")
            received = ours.recv()
            server.join(30)
    report.add(
        Figure(
            f"{count:,} messages sent, {latency_ms} ms provider latency",
            drained,
            "s",
            DRAIN_TARGET_S,
            note=f"{count / drained:,.0f} msg/s; provider admits {provider_limit} at once",
        )
    )
    report.note("enqueue_ms_per_message", round(queued_ms / count, 2))
    wrong = abs(received - count) + (count - counts[OutboxState.SENT])
    report.add(
        Figure("messages lost or sent twice", wrong, "", 0, note=f"provider holds {received:,}")
    )
    report.note("counts", {state.value: n for state, n in counts.items() if n})
    report.note("retries_after_429", retried)
    print(
        f"  states: {report.info['counts']}; retries after a 429: {retried}; "
        f"queueing took {queued_ms / count:.1f} ms a message (one write transaction each)"
    )
    if counts[OutboxState.SENT] != count or received != count:
        print("  MISSED: not every message was sent exactly once")
        return 1
    return report.finish()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--provider-limit", type=int, default=10)
    args = parser.parse_args()
    return run(args.count, args.latency_ms, args.provider_limit)


if __name__ == "__main__":
    raise SystemExit(main())
