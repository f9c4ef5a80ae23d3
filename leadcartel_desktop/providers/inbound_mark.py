"""An inbound source's mark: the instant it has read up to, or where a cut-short listing goes on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class InboundMark:
    """What a pull starts from.

    Providers list newest first, so a listing cut short at the page limit holds the newest
    replies and misses the oldest: the mark must not move past `since` until the listing
    reaches back to it. Meanwhile it keeps `resume` (the provider's next page) and `newest`
    (the newest reply listed, the next `since` once the listing is through). A finished mark
    is the plain ISO instant older builds wrote.
    """

    since: datetime
    newest: datetime
    resume: str = ""

    @classmethod
    def read(cls, mark: str | None, first: datetime) -> InboundMark:
        """The stored mark; `first` (how far back a first pull looks) when there is none."""
        if not mark:
            return cls(first, first)
        if not mark.startswith("{"):
            since = datetime.fromisoformat(mark)
            return cls(since, since)
        data = json.loads(mark)
        since = datetime.fromisoformat(str(data["since"]))
        return cls(since, datetime.fromisoformat(str(data["newest"])), str(data["resume"]))

    def text(self) -> str:
        """The mark to store: the instant once the listing is through, else where to go on."""
        newest = self.newest.astimezone(UTC).isoformat()
        if not self.resume:
            return newest
        since = self.since.astimezone(UTC).isoformat()
        return json.dumps({"since": since, "newest": newest, "resume": self.resume})
