"""Events: the same happening told twice is one event with two sentences; a headline's
event is told in the headline's words, its place and time as the article writes them."""

import json

import pytest
from conftest import RECORDED_MODEL, chat_completion, inject_fault

import summarizer
from summarizer.article import load_article
from summarizer.passes import Context, events
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


def test_the_same_action_told_with_more_words_after_it_is_one_event():
    # the headline's "what" cut to its main clause, and its repetition in the body whole
    short = event("derailed in the south", "The tram derailed in Croydon.", who=["the tram"])
    whole = event(
        "derailed in the south on Wednesday",
        "Police said the tram derailed on Wednesday.",
        who=["the tram"],
    )
    (merged,) = merge([short, whole])
    assert merged.what == "derailed in the south" and len(merged.evidence) == 2
    # one or two words in common are not yet the same action
    for short_what in ("derailed", "derailed in"):
        apart = [event(short_what, "Rain fell."), event("derailed in the south", "Rain fell.")]
        assert merge(apart) == apart


def test_different_actions_stay_apart_in_order():
    events = [event("derailed", "The tram derailed in Croydon."), event("fell", "Rain fell.")]
    assert merge(events) == events


def test_the_same_words_by_different_people_are_two_events():
    ana = event("said", "The tram derailed in Croydon.", who=["Ana"])
    rui = event("said", "Police said the tram derailed on Wednesday.", who=["Rui"])
    assert merge([ana, rui]) == [ana, rui]


# A headline, its lead paragraph, then background: written for this test.
HEADLINED = (
    "Harbour crane collapses at Portmere docks\n\n"
    "A crane collapsed at the Portmere container terminal on Tuesday, injuring two workers. "
    "The port authority closed the quay for the rest of the week.\n\n"
    "The crane had passed an inspection in March, the authority said."
)


def events_answer(text: str, answers: dict[str, dict], summary: str = "A crane collapsed.") -> str:
    """A hand-written events answer for `text`: the given events, no event elsewhere."""
    ctx = Context.build(load_article(text, "2026-05-14"))
    keys = [f.alias or name for name, f in events.question(ctx).model.model_fields.items()]
    none = {"who": [], "what": None, "where": None, "when": None}
    body = {key: answers.get(key.split()[0], none) for key in keys if key[0] == "S"}
    return json.dumps({"title": "Crane collapses", "summary": summary, **body})


def brief_events(
    client, vcr, text: str, answer: dict[str, dict], lang: str | None = None, **summary: str
) -> summarizer.Brief:
    """The events pass alone on `text`, the model's answer replaced by `answer`."""
    body = events_answer(text, answer, **summary)
    inject_fault(vcr, "brief the article", 200, chat_completion(body))
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client, lang=lang) as engine:
        return engine.summarize(text, published="2026-05-14", passes=("events",))


@pytest.mark.vcr
def test_the_headline_event_is_told_in_the_headlines_own_words(client, vcr):
    # The model answered the headline with the lead's second sentence, a place it made up
    # from a real one, and a time word of the background: each is mended, not sent back.
    answer = {
        "S1": {
            "who": ["Harbour crane"],
            "what": "the port authority closed the quay",
            "where": "Portmere docks station",
            "when": "March",
        }
    }
    brief = brief_events(client, vcr, HEADLINED, answer)
    (lead,) = brief.events
    assert lead.evidence[0].text == "Harbour crane collapses at Portmere docks"
    assert lead.what == "collapses at Portmere docks"
    assert lead.where == "Portmere"
    assert lead.when == When(text="Tuesday", date="2026-05-12")
    assert brief.meta.attempts == 1
    brief.check_grounding(HEADLINED)


# The lead sentence's answer, first with a number the article does not have (asked again)
# and an actor it never names (left out, with a warning); then a clean answer.
LEAD_UNGROUNDED = {
    "S2": {"who": ["Ghost Crew"], "what": "injured 9 workers", "where": None, "when": "Tuesday"}
}
LEAD_CLEAN = {"S2": {"who": [], "what": "collapsed", "where": None, "when": "Tuesday"}}
GHOST_WARNING = "S2: omitted who 'Ghost Crew': not named in the article"


@pytest.mark.vcr
def test_an_answer_asked_again_takes_its_warnings_away(client, vcr):
    inject_fault(
        vcr, "brief the article", 200, chat_completion(events_answer(HEADLINED, LEAD_CLEAN))
    )
    brief = brief_events(client, vcr, HEADLINED, LEAD_UNGROUNDED)  # answered first
    assert brief.meta.attempts == 2
    assert [e.what for e in brief.events if e.evidence[0].text.startswith("A crane")] == [
        "collapsed"
    ]
    assert GHOST_WARNING not in brief.meta.warnings


@pytest.mark.vcr
def test_the_answer_kept_after_the_last_attempt_keeps_its_warnings(client, vcr):
    inject_fault(
        vcr, "brief the article", 200, chat_completion(events_answer(HEADLINED, LEAD_UNGROUNDED))
    )
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client, attempts=1) as engine:
        brief = engine.summarize(HEADLINED, published="2026-05-14", passes=("events",))
    assert GHOST_WARNING in brief.meta.warnings
    assert "left out after the last attempt: S2: the number '9' is not in the article" in (
        brief.meta.warnings
    )
    assert not [e for e in brief.events if e.evidence[0].text.startswith("A crane")]


@pytest.mark.vcr
def test_a_headline_answer_taken_from_the_headline_is_kept(client, vcr):
    answer = {
        "S1": {
            "who": ["Harbour crane"],
            "what": "crane collapses",
            "where": None,
            "when": "Tuesday",
        }
    }
    brief = brief_events(client, vcr, HEADLINED, answer)
    assert brief.events[0].what == "crane collapses"
    assert brief.meta.warnings == []


@pytest.mark.vcr
def test_a_headline_answer_in_the_models_words_is_told_in_the_headlines(client, vcr):
    answer = {
        "S1": {"who": ["Harbour crane"], "what": "the crane collapsed", "where": None, "when": None}
    }
    brief = brief_events(client, vcr, HEADLINED, answer)
    assert brief.events[0].what == "collapses at Portmere docks"
    assert brief.meta.warnings == []  # the model told the headline's event


@pytest.mark.vcr
@pytest.mark.parametrize(
    "headline, who, what",
    [
        ("Mayor Ana Ribeiro and Rui Costa open Portmere quay", ["Ana Ribeiro", "Rui Costa"],
         "Mayor Ana Ribeiro and Rui Costa open Portmere quay"),  # "Mayor" is not named
        ("Ana Ribeiro and Rui Costa open Portmere quay", ["Ana Ribeiro", "Rui Costa"],
         "open Portmere quay"),
        ("Ana Ribeiro and crew open Portmere quay", ["Ana Ribeiro"],
         "Ana Ribeiro and crew open Portmere quay"),  # the crew is not named
        # a short description before the name is the subject's too
        ("Harbour master Ana Ribeiro opens Portmere quay", ["Ana Ribeiro"], "opens Portmere quay"),
        # a clause before the name is not a description
        ("Crews cheer as Rui Costa opens Portmere quay", ["Rui Costa"], "Crews cheer"),
    ],
)  # fmt: skip
def test_a_headline_stands_in_from_its_verb_on_after_all_its_named_actors(
    client, vcr, headline, who, what
):
    text = headline + HEADLINED[HEADLINED.index("\n\n") :]
    answer = {"S1": {"who": who, "what": "passed an inspection", "where": None, "when": None}}
    assert brief_events(client, vcr, text, answer).events[0].what == what


@pytest.mark.vcr
@pytest.mark.parametrize(
    "headline, who, answered, what, subject",
    [
        # one word of the headline is not yet a clause: it runs on to the main clause's end
        ("Harbour crane collapses at Portmere docks as storm hits coast", ["Harbour crane"],
         "collapse", "collapses at Portmere docks", ["Harbour crane"]),
        # a topic before a colon is not the event
        ("Portmere storm: Harbour crane collapses at docks", ["Harbour crane"], "it fell",
         "collapses at docks", ["Harbour crane"]),
        # a name the article writes mid-sentence ("at the Portmere container terminal")
        # is the subject of a sentence-case headline, and its who when the model named none
        ("Portmere outraged over crane collapse", [], "it fell", "outraged over crane collapse",
         ["Portmere"]),
        # in title case every word is capitalised: the first is not known to be a name
        ("Portmere Outraged Over Crane Collapse", [], "it fell",
         "Portmere Outraged Over Crane Collapse", []),
        # "Several" is capitalised only for starting the headline
        ("Several hurt as harbour crane collapses", [], "it fell", "Several hurt", []),
        # the article writes "the Portmere container terminal": the name is not the subject
        ("Portmere container terminal closes after crane collapse", [], "it fell",
         "Portmere container terminal closes", []),
        # its subject did it; the others the model named are the event's objects
        ("Ana Ribeiro praises Rui Costa at Portmere quay", ["Ana Ribeiro", "Rui Costa"],
         "praises Rui Costa", "praises Rui Costa", ["Ana Ribeiro"]),
        # ... unless the subject names none of them
        ("Harbour crane collapses at Portmere docks", ["The port authority"], "collapses",
         "collapses at Portmere docks", ["The port authority"]),
    ],
)  # fmt: skip
def test_a_headline_event_is_the_headlines_clause_after_its_subject(
    client, vcr, headline, who, answered, what, subject
):
    text = headline + HEADLINED[HEADLINED.index("\n\n") :]
    answer = {"S1": {"who": who, "what": answered, "where": None, "when": None}}
    (lead,) = brief_events(client, vcr, text, answer).events
    assert (lead.what, lead.who) == (what, subject)


@pytest.mark.vcr
def test_a_lead_with_only_a_clock_time_dates_the_headline_with_it(client, vcr):
    text = (
        "Harbour crane collapses at Portmere docks\n\n"
        "A crane collapsed at around 6am, injuring two workers.\n\n"
        "The crane had passed an inspection on Tuesday, the authority said."
    )
    answer = {
        "S1": {"who": ["Harbour crane"], "what": "collapses", "where": None, "when": "Tuesday"}
    }
    brief = brief_events(client, vcr, text, answer)
    (lead,) = brief.events
    assert lead.when == When(text="at around 6am", date="2026-05-14")  # the day it was published
    assert brief.meta.warnings == [
        "S1: when 'Tuesday' is not in the lead; 'at around 6am' stands in"
    ]


@pytest.mark.vcr
@pytest.mark.parametrize(
    "headline, what",
    [
        ("Harbour crane collapses at Portmere docks as storm hits coast",
         "Harbour crane collapses at Portmere docks"),
        ("Harbour crane collapses at Portmere docks after gust",
         "Harbour crane collapses at Portmere docks"),
        ("Harbour crane collapses two days before inspection", "Harbour crane collapses"),
        ("Minister flies to Portmere to meet the injured", "Minister flies to Portmere"),
        ("Harbour crane raises its arms to keep them dry", "Harbour crane raises its arms"),
        ("While docks reopen, harbour crane collapses at Portmere",
         "harbour crane collapses at Portmere"),
        ("Harbour crane falls: 'We heard a bang'", "Harbour crane falls"),
        ("Harbour crane collapses with the quay", "Harbour crane collapses with the quay"),  # "meets with Obama"
        ("Harbour crane sent to repair in Portmere", "Harbour crane sent to repair in Portmere"),
        ("Minister decides not to close Portmere docks", "Minister decides not to close Portmere docks"),
        ("Harbour crane collapses at Portmere docks, police say",
         "Harbour crane collapses at Portmere docks"),
        ("Minister visits the docks and says the quay will reopen", "Minister visits the docks"),
        ("Harbour crane falls on quay that collapsed last year", "Harbour crane falls on quay"),
    ],
)  # fmt: skip
def test_a_headline_event_is_its_main_clause(client, vcr, headline, what):
    # the headline's other clause ("as storm hits coast") is an event of its own
    text = headline + HEADLINED[HEADLINED.index("\n\n") :]
    answer = {"S1": {"who": ["Harbour crane", "Minister"], "what": headline, "where": None,
                     "when": None}}  # fmt: skip
    assert brief_events(client, vcr, text, answer).events[0].what == what


@pytest.mark.vcr
@pytest.mark.parametrize(
    "headline, who, kept",
    [
        # the port authority did the model's event, not the headline's
        ("Harbour crane collapses at Portmere docks", ["The port authority"], []),
        ("The harbour crane collapses at Portmere docks", ["The port authority"], []),
        ("Harbour crane collapses at Portmere docks", ["Harbour crane", "The port authority"],
         ["Harbour crane"]),  # the headline names it
    ],
)  # fmt: skip
def test_when_the_headline_stands_in_its_actors_are_those_it_names(
    client, vcr, headline, who, kept
):
    text = headline + HEADLINED[HEADLINED.index("\n\n") :]
    answer = {"S1": {"who": who, "what": "closed the quay", "where": None, "when": None}}
    (lead,) = brief_events(client, vcr, text, answer).events
    assert lead.who == kept


@pytest.mark.vcr
@pytest.mark.parametrize(
    "headline, lead, who",
    [
        ("Two hurt as harbour crane collapses", "At least two workers were hurt on Tuesday.",
         ["At least two workers"]),
        ("Portmere crane: Several hurt at docks", "Several dockers were hurt on Tuesday.",
         ["Several dockers"]),
        # any count the number finder reads, in words or digits
        ("Twenty-one hurt as harbour crane collapses",
         "Twenty-one dockers were hurt on Tuesday.", ["Twenty-one dockers"]),
        ("12 hurt as harbour crane collapses", "At least 12 dockers were hurt on Tuesday.",
         ["At least 12 dockers"]),
        ("At least three hurt as crane collapses", "A crane hurt at least three dockers.",
         ["at least three dockers"]),  # the count's qualifier is the headline's too
        ("One hurt as harbour crane collapses", "One docker was hurt on Tuesday.",
         ["harbour crane"]),  # one is no plural of people
        # the lead counts no one the same way: the model's actors stay
        ("Two hurt as harbour crane collapses", "A crane fell on Tuesday.", ["harbour crane"]),
        ("Two hurt as harbour crane collapses", "Two is the toll of the storm.",
         ["harbour crane"]),  # a verb after the count, not a plural
        ("Harbour crane collapses", "At least two workers were hurt on Tuesday.",
         ["Harbour crane"]),  # no count in the headline
    ],
)  # fmt: skip
def test_a_headline_told_as_a_count_is_done_to_the_people_the_lead_counts(
    client, vcr, headline, lead, who
):
    text = f"{headline}\n\n{lead}"
    answer = {"S1": {"who": ["Harbour crane"], "what": headline.split(": ")[-1],
                     "where": None, "when": None}}  # fmt: skip
    assert brief_events(client, vcr, text, answer).events[0].who == who


@pytest.mark.vcr
def test_a_headline_what_cut_at_a_quotation_mark_runs_on_to_its_clauses_end(client, vcr):
    # inside a JSON string a small model stops before a mark it would have to escape
    headline = 'Harbour master hails crew\'s "heroic" night-long rescue as storm eases'
    text = headline + HEADLINED[HEADLINED.index("\n\n") :]
    answer = {"S1": {"who": ["Harbour master"], "what": "hails crew's ", "where": None,
                     "when": None}}  # fmt: skip
    what = brief_events(client, vcr, text, answer).events[0].what
    assert what == 'hails crew\'s "heroic" night-long rescue'


@pytest.mark.vcr
def test_a_sentences_what_cut_at_a_quotation_mark_runs_on_through_the_quotation(client, vcr):
    text = (
        "Harbour crane collapses at Portmere docks\n\n"
        'The mayor called the collapse at the container terminal "a warning we ignored" on '
        "Tuesday.\n"
    )
    answer = {
        "S1": {"who": ["Harbour crane"], "what": "collapses", "where": None, "when": None},
        # the model's own tense, stopped before the mark it would have to escape
        "S2": {"who": ["The mayor"], "what": "calls the collapse at the container terminal ",
               "where": None, "when": None},
    }  # fmt: skip
    (_, mayor) = brief_events(client, vcr, text, answer).events
    assert mayor.what == 'calls the collapse at the container terminal "a warning we ignored"'


@pytest.mark.vcr
@pytest.mark.parametrize(
    "what, kept",
    [
        ("says investigators have ", False),  # stopped before a quotation it did not copy
        ("is", False),
        ("said", False),  # the quotation is the news: the quotes list has it
        ("the quay was closed", True),
        ("said the quay was closed", True),
    ],
)
def test_an_unfinished_what_is_no_event(client, vcr, what, kept):
    text = "Harbour crane collapses\n\nA crane collapsed on Tuesday. The mayor said the quay was closed."
    answer = {"S3": {"who": ["The mayor"], "what": what, "where": None, "when": None}}
    brief = brief_events(client, vcr, text, answer)
    assert [e.what for e in brief.events] == ([what] if kept else [])
    assert any(f"S3: omitted event {what!r}" in w for w in brief.meta.warnings) != kept


@pytest.mark.vcr
@pytest.mark.parametrize(
    "lead, who, answered, where",
    [
        ("A crane fell in Portmere on Tuesday.", [], None, "Portmere"),
        # a place from another sentence is omitted, and the headline's stands in
        ("A crane fell in Portmere on Tuesday.", [], "the quay", "Portmere"),
        ("A crane fell in Portmere on Tuesday.", ["Portmere"], None, None),  # an actor
        # "at the Portmere terminal": the article uses the name, not the place
        ("A crane fell at the Portmere terminal.", [], None, None),
    ],
)  # fmt: skip
def test_a_headline_without_a_place_takes_the_one_it_names(client, vcr, lead, who, answered, where):
    headline = "Portmere crane collapse injures two"
    text = f"{headline}\n\n{lead}\n\nThe port authority closed the quay."
    answer = {"S1": {"who": who, "what": headline, "where": answered, "when": None}}
    assert brief_events(client, vcr, text, answer).events[0].where == where


@pytest.mark.vcr
@pytest.mark.parametrize(
    "text",
    [
        "PORTMERE, May 12 (Reuters) - A crane collapsed at the docks on Tuesday.",
        "Harbour crane collapses\n\n"
        "By Ana Ribeiro and Rui Costa PORTMERE, May 12 (Reuters) - A crane collapsed on Tuesday.",
        "Harbour crane collapses\n\nTwo workers hurt in storm\n\n"  # below a standfirst
        "PORTMERE, May 12 (Reuters) - A crane collapsed on Tuesday.",
        # a scraped page's: after the photo caption that opens the story
        "Harbour crane collapses\n\nTwo workers were hurt. Share this story. Harbour crane "
        "(Photo: Ana Ribeiro, Reuters) PORTMERE -- A crane collapsed on Tuesday.",
    ],
)
def test_a_lead_event_without_a_place_takes_the_datelines(client, vcr, text):
    answer = {"S1": {"who": [], "what": "collapses", "where": None, "when": None}}
    assert brief_events(client, vcr, text, answer).events[0].where == "PORTMERE"


@pytest.mark.vcr
@pytest.mark.parametrize(
    "what, where, told",
    [
        ("A crane collapsed at the Portmere container terminal on Tuesday", "Portmere",
         "A crane collapsed at the Portmere container terminal on Tuesday"),  # not the place
        ("A crane collapsed at the Portmere container terminal on Tuesday",
         "Portmere container terminal", "A crane collapsed"),
        ("collapsed at the Portmere container terminal", "Portmere container terminal",
         "collapsed at the Portmere container terminal"),  # one word is not yet an action
    ],
)  # fmt: skip
def test_the_place_and_what_follows_it_leave_the_what(client, vcr, what, where, told):
    answer = {"S2": {"who": ["A crane"], "what": what, "where": where, "when": "Tuesday"}}
    (event,) = brief_events(client, vcr, HEADLINED, answer).events
    assert (event.what, event.where) == (told, where)


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("sid", "when", "kept"),
    [
        ("S3", "Tuesday", True),  # written in the sentence before: the quay closed that day
        ("S3", "March", False),  # the inspection's month, two sentences on
        ("S4", "March", True),
    ],
)
def test_a_time_word_from_another_sentence_is_omitted(client, vcr, sid, when, kept):
    what = {"S3": "closed the quay", "S4": "passed an inspection"}[sid]
    answer = {sid: {"who": [], "what": what, "where": None, "when": when}}
    brief = brief_events(client, vcr, HEADLINED, answer)
    (found,) = [e for e in brief.events if e.what == what]
    assert found.when.text == (when if kept else None)
    omitted = f"{sid}: omitted when {when!r}: not in its sentence"
    assert (omitted in brief.meta.warnings) is not kept


@pytest.mark.vcr
@pytest.mark.parametrize(
    "lead, when",
    [
        # "Tuesday's collapse" dates the collapse; the mayor spoke on Thursday
        ("The mayor blamed the storm for Tuesday's collapse at a meeting on Thursday.",
         "Thursday"),
        ("The mayor blamed the storm for Tuesday's collapse.", "Tuesday"),  # no other
    ],
)  # fmt: skip
def test_a_possessive_time_word_dates_its_noun_not_the_event(client, vcr, lead, when):
    text = f"Harbour crane collapse blamed on storm\n\n{lead}"
    answer = {
        "S1": {"who": ["Harbour crane"], "what": "blamed on storm", "where": None,
               "when": "Tuesday"},
        "S2": {"who": ["The mayor"], "what": "blamed the storm", "where": None,
               "when": "Tuesday"},
    }  # fmt: skip
    brief = brief_events(client, vcr, text, answer)
    assert [e.when.text for e in brief.events] == [when, when]


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("when", "kept"),
    [
        ("Sunday", True),  # four days before publication (2026-05-14)
        ("May", True),
        ("March", False),  # the background: the inspection
        ("2015", False),  # the background: the crane's age
    ],
)
def test_the_headline_is_not_dated_by_the_background(client, vcr, when, kept):
    text = (
        "Harbour crane collapses at Portmere docks\n\n"
        "A crane collapsed at the container terminal, injuring two workers.\n\n"
        "The crane, built in 2015, had passed an inspection in March. "
        "The quay had been closed since Sunday. Repairs were due in May."
    )
    answer = {"S1": {"who": ["Harbour crane"], "what": "collapses", "where": None, "when": when}}
    brief = brief_events(client, vcr, text, answer)
    (headline,) = brief.events
    assert headline.when.text == (when if kept else None)
    omitted = [w for w in brief.meta.warnings if w.startswith(f"S1: omitted when {when!r}")]
    assert bool(omitted) is not kept


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("written", "shown"),
    [
        # stopped at the quotation mark it would have to escape: 'calling it "a disgrace"'
        ("A crane collapsed at Portmere docks on Tuesday, the union calling it",
         "A crane collapsed at Portmere docks on Tuesday."),
        ("A crane collapsed at Portmere docks. The union called it",
         "A crane collapsed at Portmere docks."),
        ("A crane collapsed and the union called it", "A crane collapsed and the union called it…"),
        ("A crane collapsed at Portmere docks.", "A crane collapsed at Portmere docks."),
    ],
)  # fmt: skip
def test_a_summary_that_stops_mid_sentence_is_not_shown_dangling(client, vcr, written, shown):
    answer = {"S1": {"who": ["Harbour crane"], "what": "collapses", "where": None, "when": None}}
    assert brief_events(client, vcr, HEADLINED, answer, summary=written).summary == shown


def test_the_candidate_sentences_are_the_lead_then_the_dated_then_those_with_figures():
    # written for this test: twelve sentences, more than the pass asks about (eight)
    text = (
        "Flooding closed the valley road. "
        "Crews worked through the night. "
        "The river rose on Monday. "
        "Residents were told to stay home. "
        '"We have never seen it this high, not once, not ever," a farmer said. '
        "Schools stayed open. "
        "About 300 homes lost power. "
        "Shops closed early. "
        "The council met on Tuesday. "
        "Volunteers filled sandbags. "
        "Roads were checked. "
        "Forecasters expect 40 mm more rain."
    )
    ctx = Context.build(load_article(text, "2026-05-14"))
    # the title and summary ("headline"); the lead, the two dated, the two with figures,
    # then the first of the rest in order; the farmer's quotation is left to the quotes pass
    assert events.candidates(ctx) == ["headline", "S1", "S2", "S3", "S4", "S6", "S7", "S9", "S12"]


def test_a_teaser_cut_off_inside_a_word_is_left_to_its_full_telling():
    # a page prints the paragraph's start, cut by characters, before the paragraph itself
    text = (
        "Cubs win the World Series\n\n"
        "The Chicago Cubs ended a 108-year wait when Ben Zo\n\n"
        "The Chicago Cubs ended a 108-year wait when Ben Zobrist hit a double.\n\n"
        "Fans filled the streets of the city."
    )
    ctx = Context.build(load_article(text, "2026-05-14"))
    assert events.candidates(ctx) == ["headline", "S1", "S3", "S4"]  # not the teaser, S2
    assert [text[n.start : n.end] for n in ctx.numbers.values()] == ["108"]  # asked once
    assert ctx.numbers["N1"].start > text.index("wait when Ben Zobrist") - 10  # the full one's


@pytest.mark.vcr
@pytest.mark.parametrize(
    "where",
    [
        "on Tuesday",
        "of the Portmere container terminal",
        "two days before the inspection",  # a span of time
        "at Mr. Costa",  # a person, by their title
    ],
)
def test_a_time_or_a_topic_given_as_a_place_is_omitted(client, vcr, where):
    answer = {"S2": {"who": ["A crane"], "what": "collapsed", "where": where, "when": "Tuesday"}}
    brief = brief_events(client, vcr, HEADLINED, answer)
    (event,) = brief.events
    assert (event.what, event.where, event.when.text) == ("collapsed", None, "Tuesday")
    assert brief.meta.warnings == [f"S2: omitted where {where!r}: not a place"]


@pytest.mark.vcr
@pytest.mark.parametrize(
    "where, who, kept",
    [
        ("Harbour Board", ["Harbour Board"], False),  # an actor
        ("Costa", ["Marta Costa"], False),  # an actor's last name
        ("Costa", ["Costa Shipping"], False),  # "Costa" of "Costa Shipping"
        ("Portmere", ["Portmere"], True),  # an actor the article writes as a place
        ("Portmere", ["Harbour Board"], True),  # not an actor
    ],
)
def test_an_actor_given_as_a_place_is_omitted(client, vcr, where, who, kept):
    text = (
        "Harbour crane collapses\n\nThe Harbour Board and Portmere closed the quay of Costa "
        "Shipping on Tuesday.\n\nThe quay in Portmere reopened, its owner Marta Costa said."
    )
    answer = {"S2": {"who": who, "what": "closed the quay", "where": where, "when": "Tuesday"}}
    brief = brief_events(client, vcr, text, answer)
    (event,) = brief.events
    assert event.where == (where if kept else None)
    omitted = f"S2: omitted where {where!r}: an actor"
    assert (omitted in brief.meta.warnings) is not kept


@pytest.mark.vcr
def test_words_that_name_no_one_are_not_actors(client, vcr):
    # an event listing's headings and a pronoun, given as actors (a quotes-set article);
    # "US" and "IT" in capitals are names
    # and a clause someone said, given whole as an actor
    text = (
        "Harbour crane collapses\n\n"
        "What and where: the Harbour Board closed it, they said, US and IT staff too. "
        "One worker said it was a shame."
    )
    said = "One worker said it was a shame"
    who = ["Harbour Board", "What", "where", "they", "US", "IT staff", said]
    answer = {"S2": {"who": who, "what": "closed it", "where": None, "when": None}}
    brief = brief_events(client, vcr, text, answer)
    (event,) = brief.events
    assert event.who == ["Harbour Board", "US", "IT staff"]
    assert "S2: omitted who 'What': not a name" in brief.meta.warnings
    assert f"S2: omitted who {said!r}: not a name" in brief.meta.warnings


@pytest.mark.vcr
def test_a_pages_widgets_are_not_events_nor_actors(client, vcr):
    # a news page's newsletter box and slideshow, flattened into its text (2 dev articles)
    text = (
        "Harbour crane collapses\n\nGet news updates directly to your inbox + Subscribe "
        "Could not subscribe, try again later. The Harbour Board closed the quay.\n\n"
        "1 of 9 Full Screen Autoplay Close Skip Ad x A crane lies across the quay."
    )
    answer = {
        "S2": {"who": [], "what": "could not subscribe, try again later", "where": None,
               "when": None},
        "S3": {"who": ["Get news updates directly to your inbox"], "what": "closed the quay",
               "where": None, "when": None},
        "S4": {"who": ["A crane"], "what": "1 of 9 Full Screen Autoplay Close Skip Ad",
               "where": None, "when": None},
    }  # fmt: skip
    brief = brief_events(client, vcr, text, answer)
    assert [(e.who, e.what) for e in brief.events] == [([], "closed the quay")]
    assert "S2: omitted event 'could not subscribe, try again later': page text" in (
        brief.meta.warnings
    )
    assert "S3: omitted who 'Get news updates directly to your inbox': page text" in (
        brief.meta.warnings
    )


@pytest.mark.vcr
def test_a_what_longer_than_asked_is_cut_to_its_first_clause(client, vcr):
    # the model copied whole sentences: 47 of the 335 events of the dev briefs had over 18 words
    text = (
        "Harbour crane collapses\n\n"
        "Police closed the quay and the road to the ferry terminal, where the crane fell "
        "across two parked lorries on Tuesday.\n\n"
        "On May 12, 2026, after a night of storms, the Harbour Board ordered every crane on "
        "the quay to be checked.\n\n"
        "The mayor said 'We will rebuild, but not here' to dock workers at the gate, where "
        "the crane stood for forty years."
    )
    answer = {
        "S2": {"who": ["Police"], "what": text.split("\n\n")[1], "where": None, "when": None},
        "S3": {"who": ["the Harbour Board"], "what": text.split("\n\n")[2], "where": None,
               "when": None},
        "S4": {"who": ["The mayor"], "what": text.split("\n\n")[3],
               "where": None, "when": None},
    }  # fmt: skip
    brief = brief_events(client, vcr, text, answer)
    assert [e.what for e in brief.events] == [
        "Police closed the quay and the road to the ferry terminal",
        # an opening phrase is not a clause of its own
        "On May 12, 2026, after a night of storms, the Harbour Board ordered every crane on "
        "the quay to be checked.",
        "The mayor said 'We will rebuild, but not here' to dock workers at the gate",
    ]
    brief.check_grounding(text)


@pytest.mark.vcr
def test_an_embedded_post_is_not_an_event(client, vcr):
    # a social media post flattened into the text, with its link and signature (5 dev articles)
    post = (
        "Now the crane looks like a bicycle stand. pic.twitter.com/C71KeNU -- Ann Lee "
        "(@annlee) May 12, 2026"
    )
    text = f"Harbour crane collapses\n\n{post}\n\nThe Harbour Board closed the quay."
    answer = {
        "S2": {"who": [], "what": post, "where": None, "when": None},
        "S3": {"who": ["The Harbour Board"], "what": "closed the quay", "where": None,
               "when": None},
    }  # fmt: skip
    brief = brief_events(client, vcr, text, answer)
    assert [e.what for e in brief.events] == ["closed the quay"]
    assert f"S2: omitted event {post!r}: page text" in brief.meta.warnings


@pytest.mark.vcr
def test_a_run_of_page_text_given_as_a_place_is_omitted(client, vcr):
    player = (
        "Video Loading Video Unavailable Click to play Tap to play The video will start in 8 "
        "Cancel Play now Watch this video again Video will play in"
    )
    text = f"Harbour crane collapses\n\nWatch: a crane collapses {player} Share this video."
    answer = {"S2": {"who": ["a crane"], "what": "a crane collapses", "where": player,
                     "when": None}}  # fmt: skip
    brief = brief_events(client, vcr, text, answer)
    assert [(e.what, e.where) for e in brief.events] == [("a crane collapses", None)]
    assert f"S2: omitted where {player!r}: not a place" in brief.meta.warnings


@pytest.mark.vcr
@pytest.mark.parametrize(
    "sentence, answered, what",
    [
        # the lead's event, answered for the next sentence: that sentence does not tell it
        ("The port authority closed the quay.", "A crane collapsed", None),
        ("The minister met the workers.", "meet the workers", "meet the workers"),  # a form
        ("The cranes were inspected twice.", "inspects the cranes", "inspects the cranes"),
    ],
)
def test_an_event_not_told_in_its_sentence_is_omitted(client, vcr, sentence, answered, what):
    text = f"Harbour crane collapses\n\nA crane collapsed on Tuesday.\n\n{sentence}"
    answer = {"S3": {"who": [], "what": answered, "where": None, "when": None}}
    brief = brief_events(client, vcr, text, answer)
    assert [e.what for e in brief.events] == ([what] if what else [])
    omitted = f"S3: omitted event {answered!r}: not in its sentence"
    assert brief.meta.warnings == ([] if what else [omitted])


@pytest.mark.vcr
@pytest.mark.parametrize(
    "sid, translated",
    [("S3", "el puerto cerró el muelle"), ("S1", "se derrumba una grúa")],  # S1: the headline
)
def test_an_event_told_in_another_language_is_kept(client, vcr, sid, translated):
    text = "Harbour crane collapses\n\nA crane collapsed on Tuesday.\n\nThe port closed the quay."
    answer = {sid: {"who": [], "what": translated, "where": None, "when": None}}
    brief = brief_events(client, vcr, text, answer, lang="Spanish")
    assert [e.what for e in brief.events] == [translated]
    assert not [w for w in brief.meta.warnings if "headline stands in" in w]


@pytest.mark.vcr
@pytest.mark.parametrize(
    "sentence, who, where",
    [
        ("The minister spoke to the workers in downtown Portmere on Wednesday.", [],
         "downtown Portmere"),
        ("The minister spoke to the workers at the Harbour Hotel.", [], "Harbour Hotel"),
        ("The minister spoke to the workers in Portmere while it rained.", [], "Portmere"),
        ("The minister spoke to the workers in May.", [], None),  # a time
        ("The minister spoke to the workers at Mr. Costa's yard.", [], None),  # a title
        ("The minister spoke to the workers in Harbour News.", ["Harbour News"], None),  # an actor
        ("The minister spoke to the workers at the Portmere terminal.", [], None),  # a modifier
    ],
)  # fmt: skip
def test_an_event_without_a_place_takes_the_one_its_sentence_names(
    client, vcr, sentence, who, where
):
    text = f"Harbour crane collapses\n\nA crane collapsed on Tuesday.\n\n{sentence}"
    answer = {"S3": {"who": who, "what": "spoke to the workers", "where": None, "when": None}}
    (event,) = brief_events(client, vcr, text, answer).events
    assert (event.what, event.where) == ("spoke to the workers", where)


@pytest.mark.vcr
@pytest.mark.parametrize(
    "lead, sentences, where",
    [
        # the scene is set two sentences after the lead
        ("A crane collapsed on Tuesday.",
         ["The quay was closed.", "Two workers were hurt at the Harbour Hotel."], "Harbour Hotel"),
        # a video player's text is page text, not the story's scene
        ("A crane collapsed on Tuesday.",
         ["Video Loading Click to play The video will play in Share this video.",
          "Workers met in Tidewick."], "Tidewick"),
        ("A crane collapsed on Tuesday.",
         ["Related stories Costa arrives in Tidewick.", "Workers met in Eastbay."], "Eastbay"),
        # five sentences from the lead on, the story has moved on
        ("A crane collapsed on Tuesday.",
         ["The quay was closed."] * 4 + ["Costa once lived in Tidewick."], None),
        # the dateline is where the story was reported from, before any place it names
        ("PORTMERE, May 12 (Reuters) - A crane collapsed on Tuesday.",
         ["Workers met in Tidewick."], "PORTMERE"),
    ],
)  # fmt: skip
def test_a_lead_event_without_a_place_takes_the_first_the_story_names(
    client, vcr, lead, sentences, where
):
    text = f"Harbour crane collapses\n\n{lead} " + " ".join(sentences)
    answer = {
        "S1": {"who": ["Harbour crane"], "what": "collapses", "where": None, "when": None},
        "S2": {"who": ["A crane"], "what": "collapsed", "where": None, "when": "Tuesday"},
    }
    brief = brief_events(client, vcr, text, answer)
    assert [e.where for e in brief.events] == [where, where]


@pytest.mark.vcr
@pytest.mark.parametrize(
    "headline, answered, where",
    [
        # a headline shortens its place: the body writes it in full
        ("Crane collapses in Eastbay", "Eastbay", "Tidewick, Eastbay province"),
        # title case: "Injuring" is capitalised for the headline, not a name
        ("Crane Collapses in Tidewick, Near Portmere, Injuring Two", "Near Portmere",
         "Tidewick, Near Portmere"),
        ("Crane collapses at the docks", "docks", "docks"),  # no name to write in full
        # a person after the place is not part of it
        ("Crane collapses in Tidewick, Costa and Ribeiro say", "Tidewick",
         "Tidewick, Eastbay province"),
    ],
)  # fmt: skip
def test_a_place_is_written_in_full(client, vcr, headline, answered, where):
    text = (
        f"{headline}\n\nA crane collapsed at the docks in Tidewick, Eastbay province on "
        "Tuesday. Tidewick is the busiest port in Eastbay, and lies near Portmere, said Costa."
    )
    answer = {"S1": {"who": ["Crane"], "what": "collapses", "where": answered, "when": None}}
    (event,) = brief_events(client, vcr, text, answer).events
    assert event.where == where


@pytest.mark.vcr
@pytest.mark.parametrize(
    "filler, where",
    [
        (0, "Tidewick, Eastbay province"),
        (5, "Eastbay"),  # six sentences on, a place in full is another event's
    ],
)
def test_a_headlines_place_is_written_in_full_only_by_the_storys_opening(
    client, vcr, filler, where
):
    text = (
        "Crane collapses in Eastbay\n\nA crane collapsed in Eastbay on Tuesday. "
        + "The quay was closed. " * filler
        + "The crane driver lives in Tidewick, Eastbay province."
    )
    answer = {"S1": {"who": ["Crane"], "what": "collapses", "where": "Eastbay", "when": None}}
    (event,) = brief_events(client, vcr, text, answer).events
    assert event.where == where
