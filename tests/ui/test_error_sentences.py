"""An error shown away from its field reads as a sentence."""

from __future__ import annotations

from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.ui.forms import sentence_of


def test_a_verb_phrase_joins_its_field() -> None:
    assert sentence_of(ValidationError("Pipeline name", "is required")) == (
        "Pipeline name is required"
    )
    assert sentence_of(ValidationError("Days", "must be at least 1")) == "Days must be at least 1"


def test_other_details_keep_the_colon() -> None:
    error = ValidationError("Message", "{nick} is not a merge field; use {first_name}")
    assert sentence_of(error) == "Message: {nick} is not a merge field; use {first_name}"
    assert sentence_of(UserFacingError("No network")) == "No network"
