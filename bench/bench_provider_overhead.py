"""Client overhead per message to a loopback provider that adds no latency (target <= 3 ms)."""

# Each send goes through the real Twilio adapter (its one shared requests.Session, HTTPS
# verified against the sandbox's CA, connection kept alive) to the sandbox's Twilio server,
# which runs in a child process so the two do not take turns on one GIL. Per message, the
# client's wall time minus the time the server spent on that request (timed inside the server,
# from its headers parsed to its answer written) is the client's overhead: building and
# encoding the request, TLS, reading and classifying the answer. The server disables Nagle's
# algorithm; without that every request would also wait about 40 ms for a delayed ACK.
#     python bench/bench_provider_overhead.py [--sends 500] [--warmup 50]

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

from common import Figure, Report, machine, percentile

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState, OutcomeKind
from leadcartel_desktop.domain.providers import (
    ProviderKind,
    ProviderSettings,
    SecretName,
    TwilioSettings,
)
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.sandbox import Sandbox

TARGET_MS = 3.0


class _Secrets:
    """The token the sandbox expects; the bench has no keychain to ask."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    def available(self) -> bool:
        return True

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def delete(self, name: str) -> None:
        self._values.pop(name, None)


def serve(pipe: Connection, folder: str) -> None:
    """The child process: the sandbox, answering a count with the server-side handling times."""
    with Sandbox(Path(folder)) as sandbox:
        pipe.send((sandbox.twilio_url, str(sandbox.ca_bundle), sandbox.credentials))
        controls = sandbox.controls("twilio")
        while (count := pipe.recv()) != "stop":
            controls.wait_for_handling_times(count)
            pipe.send(controls.handling_times())


def server_times(pipe: Connection, count: int) -> list[float]:
    """The server's times (ms), once it has timed `count` requests."""
    pipe.send(count)
    return [seconds * 1000 for seconds in pipe.recv()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sends", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    report = Report("bench_provider_overhead")
    report.note("machine", machine())
    total = args.warmup + args.sends
    spawn = multiprocessing.get_context("spawn")
    ours, theirs = spawn.Pipe()
    with tempfile.TemporaryDirectory() as folder:
        child = spawn.Process(target=serve, args=(theirs, folder), daemon=True)
        child.start()
        url, ca_bundle, creds = ours.recv()
        settings = ProviderSettings(
            sms=ProviderKind.TWILIO,
            twilio=TwilioSettings(creds.twilio_account_sid, creds.twilio_from, base_url=url),
            ca_bundle=ca_bundle,
        )
        factory = DefaultProviderFactory()
        secrets = _Secrets({SecretName.TWILIO_AUTH_TOKEN: creds.twilio_auth_token})
        provider = factory.provider_for(Channel.SMS, settings, secrets)
        now = datetime.now(UTC)
        client_ms: list[float] = []
        cpu_ms: list[float] = []
        for number in range(total):
            message = OutboxMessage(
                number, Channel.SMS, "+6591234567", {"body": f"Invoice INV-{number:05d} is due"},
                f"bench-{number}", OutboxState.SENDING, created_at=now,
            )  # fmt: skip
            started, cpu = time.perf_counter(), time.thread_time()
            outcome = provider.send(message)
            client_ms.append((time.perf_counter() - started) * 1000)
            cpu_ms.append((time.thread_time() - cpu) * 1000)
            if outcome.kind is not OutcomeKind.ACCEPTED:
                raise SystemExit(f"send {number} was not accepted: {outcome}")
        server_ms = server_times(ours, total)
        ours.send("stop")
        child.join(10)
        factory.close()
    if len(server_ms) != total:
        raise SystemExit(f"{total} sends but the server timed {len(server_ms)}")
    client, server = client_ms[args.warmup :], server_ms[args.warmup :]
    overhead = [mine - its for mine, its in zip(client, server, strict=True)]
    cpu = statistics.fmean(cpu_ms[args.warmup :])
    print(
        f"  {len(overhead)} sends over HTTPS (keep-alive): client {statistics.fmean(client):.2f} "
        f"ms mean, server {statistics.fmean(server):.2f} ms mean, client CPU {cpu:.2f} ms mean"
    )
    report.note("client_mean_ms", statistics.fmean(client))
    report.note("server_mean_ms", statistics.fmean(server))
    report.note("client_cpu_mean_ms", cpu)
    mean = statistics.fmean(overhead)
    report.add(Figure("client overhead per message, mean", mean, "ms", TARGET_MS))
    report.add(
        Figure("client overhead per message, p95", percentile(overhead, 0.95), "ms", TARGET_MS)
    )
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
