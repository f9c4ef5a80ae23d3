"""A typed time zone, for a contact or the business: any odd name is refused by field."""

from __future__ import annotations

from typing import Any

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from tests.integration.campaign_support import add_contact, save_business

# A region folder (ZoneInfo reads it as a directory), a name too long for a file name, a
# name in the wrong case (found on a case-blind disk only), and nothing but spaces.
ODD_NAMES = ["Europe", "America", "Europe/", "a" * 300, "Mars/Olympus"]


@pytest.mark.parametrize("typed", ODD_NAMES)
def test_a_contact_zone_that_is_no_zone_is_refused_naming_the_field(
    services: Any, typed: str
) -> None:
    ann = add_contact(services, "Ann", "+6591234561")
    with pytest.raises(ValidationError) as refused:
        services.contact_tags.set_time_zone(ann, typed)
    assert refused.value.field == "Time zone"
    assert f"'{typed}' is not a known time zone" in str(refused.value)
    assert services.contact_tags.reach(ann).time_zone == ""  # nothing saved


@pytest.mark.parametrize("typed", ODD_NAMES)
def test_a_business_zone_that_is_no_zone_is_refused_naming_the_field(
    services: Any, typed: str
) -> None:
    save_business(services, time_zone="Europe/Berlin")
    with pytest.raises(ValidationError) as refused:
        save_business(services, time_zone=typed)
    assert refused.value.field == "Time zone"
    assert services.settings.business().time_zone == "Europe/Berlin"  # the old one kept


def test_zones_typed_with_spaces_around_are_saved_without_them(services: Any) -> None:
    ann = add_contact(services, "Ann", "+6591234561")
    services.contact_tags.set_time_zone(ann, " Europe/Berlin ")
    assert services.contact_tags.reach(ann).time_zone == "Europe/Berlin"
    assert save_business(services, time_zone=" Asia/Tokyo ").time_zone == "Asia/Tokyo"
    assert services.settings.business().time_zone == "Asia/Tokyo"


def test_zones_typed_in_another_case_are_saved_as_the_zone_list_names_them(services: Any) -> None:
    """Else a name a case-blind disk accepts would fail on a case-sensitive one."""
    ann = add_contact(services, "Ann", "+6591234561")
    services.contact_tags.set_time_zone(ann, "europe/berlin")
    assert services.contact_tags.reach(ann).time_zone == "Europe/Berlin"
    assert save_business(services, time_zone="asia/TOKYO").time_zone == "Asia/Tokyo"
