"""Campaign drafts at their edges: mistyped merge fields, over-long texts, equal hours."""

from __future__ import annotations

from datetime import time

import pytest

from leadcartel_desktop.domain.campaigns import TEXT_LIMIT, CampaignDraft
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.send_windows import QUIET_END, QUIET_START


@pytest.mark.parametrize(
    "body",
    ["Hi {First_Name}!", "Hi {first_name, welcome", "Hi { first_name }", "Hi {first name}"],
)
def test_a_mistyped_merge_field_is_refused_rather_than_sent_as_typed(body: str) -> None:
    with pytest.raises(ValidationError) as refused:
        CampaignDraft("Spring", Channel.SMS, body).check()
    assert refused.value.field == "Message"


def test_a_mistyped_merge_field_in_the_subject_is_refused() -> None:
    draft = CampaignDraft("Spring", Channel.EMAIL, "Hi", subject="News for {First_name}")
    with pytest.raises(ValidationError) as refused:
        draft.check()
    assert refused.value.field == "Subject"


@pytest.mark.parametrize("body", ["Hi {first_name} :-}", "Sale {50% off}", "{{first_name}}"])
def test_braces_that_are_not_a_merge_field_may_stay(body: str) -> None:
    CampaignDraft("Spring", Channel.SMS, body).check()


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.WHATSAPP])
def test_a_text_longer_than_the_provider_takes_is_refused(channel: Channel) -> None:
    CampaignDraft("Spring", channel, "a" * TEXT_LIMIT).check()
    with pytest.raises(ValidationError) as refused:
        CampaignDraft("Spring", channel, "a" * (TEXT_LIMIT + 1)).check()
    assert refused.value.field == "Message"
    CampaignDraft("Spring", Channel.EMAIL, "a" * 10_000, subject="News").check()


def test_equal_start_and_end_hours_mean_the_whole_day() -> None:
    draft = CampaignDraft("Spring", Channel.SMS, "Hi", hours=(time(10), time(10)))
    draft.check()
    assert draft.window.hours() == (QUIET_END, QUIET_START)
    email = CampaignDraft("Spring", Channel.EMAIL, "Hi", "News", hours=(time(10), time(10)))
    assert email.window.check().hours() == (time(0), None)
