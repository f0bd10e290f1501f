"""Tests for merging events: the same happening told twice is one event with two sentences."""

from summarizer.passes.events import merge
from summarizer.schema import Event, Span, When

TEXT = "The tram derailed in Croydon. Police said the tram derailed on Wednesday. Rain fell."


def event(what: str, sentence: str, **fields) -> Event:
    start = TEXT.index(sentence)
    return Event(
        what=what, evidence=[Span(start=start, end=start + len(sentence), text=sentence)], **fields
    )


def test_the_same_action_twice_is_one_event_with_both_sentences():
    first = event("derailed", "The tram derailed in Croydon.", where="Croydon")
    again = event(
        "Derailed.",
        "Police said the tram derailed on Wednesday.",
        who=["the tram"],
        when=When(text="Wednesday", date="2016-11-09"),
    )
    other = event("fell", "Rain fell.")
    (merged, rain) = merge([first, again, other])
    assert [s.text for s in merged.evidence] == [
        "The tram derailed in Croydon.",
        "Police said the tram derailed on Wednesday.",
    ]
    assert (merged.what, merged.who, merged.where) == ("derailed", ["the tram"], "Croydon")
    assert merged.when == When(text="Wednesday", date="2016-11-09")
    assert rain.what == "fell"
    assert len(first.evidence) == 1  # the caller's events are not changed


def test_different_actions_stay_apart_in_order():
    events = [event("derailed", "The tram derailed in Croydon."), event("fell", "Rain fell.")]
    assert merge(events) == events


def test_the_same_words_by_different_people_are_two_events():
    ana = event("said", "The tram derailed in Croydon.", who=["Ana"])
    rui = event("said", "Police said the tram derailed on Wednesday.", who=["Rui"])
    assert merge([ana, rui]) == [ana, rui]
