"""Consent keywords: the whole reply is the keyword, any case, spaces and punctuation around."""

from __future__ import annotations

import pytest

from leadcartel_desktop.domain.consent import ConsentAction, consent_change

OPT_OUT = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT"]
OPT_IN = ["START", "UNSTOP"]


def _variants(word: str) -> list[str]:
    return [word, word.lower(), word.title(), f"  {word.lower()} ", f"\t{word}\n", f"{word}."]


@pytest.mark.parametrize("body", [v for word in OPT_OUT for v in _variants(word)])
def test_every_opt_out_word_in_any_case_and_spacing_opts_out(body: str) -> None:
    change = consent_change(body)
    assert change is not None
    assert change.action is ConsentAction.OPT_OUT
    assert change.opted_out
    assert change.keyword == " ".join(body.strip(" \t\n.").upper().split())


@pytest.mark.parametrize("body", [v for word in OPT_IN for v in _variants(word)])
def test_start_and_unstop_opt_back_in(body: str) -> None:
    change = consent_change(body)
    assert change is not None and change.action is ConsentAction.OPT_IN
    assert not change.opted_out


@pytest.mark.parametrize(
    ("body", "keyword"),
    [(" stop ", "STOP"), ("Stop!", "STOP"), ("opt-out", "OPT OUT"), ("opt   out", "OPT OUT"),
     ("OPTOUT", "OPTOUT"), ('"STOP"', "STOP")],
)  # fmt: skip
def test_punctuation_and_inner_spacing_are_ignored(body: str, keyword: str) -> None:
    change = consent_change(body)
    assert change is not None and change.keyword == keyword


@pytest.mark.parametrize(
    ("body", "keyword"),
    [("\u201cSTOP\u201d", "STOP"), ("\u2018stop\u2019", "STOP"), ("\u00abSTOP\u00bb", "STOP"),
     ("\u00ab STOP \u00bb", "STOP"), ("\u201eStop\u201c", "STOP"), ("\u201aSTOP\u2018", "STOP"),
     ("\u2039STOP\u203a", "STOP"), ("\u300cSTOP\u300d", "STOP"), ("\u300eSTOP\u300f", "STOP"),
     ("\u00a1STOP!", "STOP"), ("STOP \u2014", "STOP"), ("\u201cunsubscribe.\u201d", "UNSUBSCRIBE"),
     ("\u201copt out\u201d", "OPT OUT"), ("\u201cSTART\u201d", "START")],
)  # fmt: skip
def test_typographic_quotes_around_a_keyword_are_ignored(body: str, keyword: str) -> None:
    """Smart punctuation turns "STOP" into \u201cSTOP\u201d; other languages quote «STOP»."""
    change = consent_change(body)
    assert change is not None and change.keyword == keyword


@pytest.mark.parametrize(
    "body",
    ["\u201cplease stop by tomorrow\u201d", "\u00abstop it\u00bb", "don\u2019t stop",
     "\u2018stop\u2019 calling", "\u201cSTOP\u201d \u201cSTOP\u201d", "\u201c\u201d"],
)  # fmt: skip
def test_typographic_quotes_do_not_make_a_sentence_a_keyword(body: str) -> None:
    assert consent_change(body) is None


@pytest.mark.parametrize(
    "body",
    ["please stop by tomorrow", "stop it", "STOP STOP", "don't stop", "", "   ", "stopp",
     "started", "Start the job", "end of story", "cancel my order please", "thanks"],
)  # fmt: skip
def test_a_keyword_inside_a_sentence_is_not_a_consent_change(body: str) -> None:
    assert consent_change(body) is None


@pytest.mark.parametrize(
    ("body", "keyword"),
    [("STOP ALL", "STOP ALL"), ("stop  all!", "STOP ALL"), ("Stop-All", "STOP ALL"),
     ("ＳＴＯＰ", "STOP"), ("ｓｔｏｐ！", "STOP"), ("ＵＮＳＵＢＳＣＲＩＢＥ", "UNSUBSCRIBE"),
     ("STOP\u3002", "STOP"), ("STOP\u3000", "STOP"),
     ("STOP\u200b", "STOP"), ("\u200bSTOP", "STOP"), ("\ufeffSTOP", "STOP"),
     ("\u2060stop\u200c", "STOP"), ("S\u200dTOP", "STOP"), ("\u200fstop\u200e", "STOP"),
     ("opt\u200b out", "OPT OUT"), ("\ufeff ＯＰＴ－ＯＵＴ ", "OPT OUT")],
)  # fmt: skip
def test_full_width_and_invisible_characters_do_not_hide_an_opt_out(
    body: str, keyword: str
) -> None:
    """Some phones and CJK keyboards send these; the reply still reads STOP on the screen."""
    change = consent_change(body)
    assert change is not None and change.opted_out
    assert change.keyword == keyword


@pytest.mark.parametrize("body", ["ＳＴＡＲＴ", "\ufeffstart", "UNSTOP\u200b"])
def test_full_width_and_invisible_characters_do_not_hide_an_opt_in(body: str) -> None:
    change = consent_change(body)
    assert change is not None and change.action is ConsentAction.OPT_IN


@pytest.mark.parametrize(
    "body",
    ["STOP please call me", "stop all of it", "ＳＴＯＰ ｂｙ", "STOP\u200b please",
     "stop\u200ball calls", "STOP ALL ALL", "\ufeff", "\u200b\u200b"],
)  # fmt: skip
def test_normalising_does_not_make_a_sentence_a_keyword(body: str) -> None:
    assert consent_change(body) is None


@pytest.mark.parametrize(
    "body",
    ["OPT\u2011OUT", "opt\u2013out", "Opt\u2010out", "OPT\u2014OUT", "opt\u2212out",
     "opt \u2012 out", "\u2014STOP\u2014", "\u2010stop"],
)  # fmt: skip
def test_opt_out_typed_with_a_typographic_hyphen_or_dash_opts_out(body: str) -> None:
    """Smart punctuation turns '-' into a hyphen or dash; 'OPT‑OUT' still reads OPT OUT."""
    change = consent_change(body)
    assert change is not None and change.opted_out


@pytest.mark.parametrize("body", ["stop\u2013all\u2013calls", "opt\u2011out\u2011now"])
def test_a_dash_does_not_make_a_sentence_a_keyword(body: str) -> None:
    assert consent_change(body) is None
