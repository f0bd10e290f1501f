"""Tests for summarizer.quotes: offsets, pairing rules and direct/partial kinds."""

import json

import pytest
from conftest import RECORDED_MODEL, chat_completion, inject_fault
from test_api import answer_keys

import summarizer
from summarizer.article import load_article
from summarizer.passes import Context, quotes
from summarizer.prompts import render
from summarizer.quotes import QuoteMention, find_quotes, is_speech

CASES = [
    pytest.param(
        'The mayor said: "We will rebuild the bridge before winter."',
        [("We will rebuild the bridge before winter.", "direct")],
        id="colon-introduced-direct",
    ),
    pytest.param(
        'The minister said there "was good news" and that Russia was "getting what it deserves".',
        [("was good news", "partial"), ("getting what it deserves", "partial")],
        id="two-partials-one-sentence",
    ),
    pytest.param(
        "The council called the plan “a costly mistake” on Monday.",
        [("a costly mistake", "partial")],
        id="curly-partial",
    ),
    pytest.param(
        "“Prices are falling,” the trader said.",
        [("Prices are falling,", "direct")],
        id="curly-direct-paragraph-start",
    ),
    pytest.param(
        "Reuters' reporters didn't see the '90s archive in Russia's capital.",
        [],
        id="apostrophes-are-not-quotes",
    ),
    pytest.param(
        'The so-called "experts" disagreed.',
        [("experts", "partial")],
        id="scare-quote",
    ),
    pytest.param(
        "She said: \"He told me 'never again' and left.\"",
        [("He told me 'never again' and left.", "direct")],
        id="nested-single-inside-double",
    ),
    pytest.param(
        "The coach said he was 'very happy' with the result.",
        [("very happy", "partial")],
        id="single-quote-quotation",
    ),
    pytest.param(
        "The farmer said: ‘It has not rained for a month.’",
        [("It has not rained for a month.", "direct")],
        id="curly-single-direct",
    ),
    pytest.param(
        "“  Spaces are trimmed.  ” he said.",
        [("Spaces are trimmed.", "direct")],
        id="inner-whitespace-trimmed",
    ),
    pytest.param(
        '"Every time you say that," the senator said, "you help the other side."',
        [("Every time you say that,", "direct"), ("you help the other side.", "direct")],
        id="split-direct-quote",
    ),
    pytest.param(
        "''This is not reform,'' the economist said.",
        [("This is not reform,", "direct")],
        id="doubled-apostrophe-marks",
    ),
    pytest.param(
        'He said "we should go.\n\nNobody answered.',
        [],
        id="unbalanced-is-skipped",
    ),
    pytest.param(
        'A "stray mark here.\nThen she said "fine" and left.',
        [("fine", "partial")],
        id="quote-does-not-cross-paragraph",
    ),
    pytest.param(
        'He wrote: "Part one ends here.\n\n"Part two continues it.\n\n'
        '"Part three closes it."\n\nThe end.',
        [
            ("Part one ends here.", "direct"),
            ("Part two continues it.", "direct"),
            ("Part three closes it.", "direct"),
        ],
        id="three-paragraph-quote",
    ),
    pytest.param(
        'A spokesman said: "We were called at 6.13 to a crash. "We have sent crews." Later.',
        [("We were called at 6.13 to a crash.", "direct"), ("We have sent crews.", "direct")],
        id="paragraph-break-lost-between-quote-parts",
    ),
    pytest.param(
        'He said: "It happened on a bend. Carnage: the tram (PA) "I have never seen it."',
        [("I have never seen it.", "direct")],
        id="quote-running-into-a-caption-is-left-out",
    ),
    pytest.param(
        "She hit out at Donald Trump 's past, in a 'Vote Hillary' top. She wrote: \"We will win.\"",
        [("Vote Hillary", "partial"), ("We will win.", "direct")],
        id="detached-possessive-opens-nothing",
    ),
    pytest.param(
        '[\'Cubs won.] "I was worried," Epstein said. "We needed it," Heyward said. '
        "Maddon believes Zobrist delivers the Cubs' best.",
        [("I was worried,", "direct"), ("We needed it,", "direct")],
        id="apostrophe-does-not-close-around-quotes",
    ),
    pytest.param(
        "'We will protect workers' rights,' she said.",
        [("We will protect workers' rights,", "direct")],
        id="possessive-inside-single-quote",
    ),
    pytest.param("He loves rock 'n' roll.", [], id="elision-not-a-quote"),
    pytest.param("", [], id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_quotes(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_quotes(text)
    assert [(m.text, m.kind) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.text
        assert "\n" not in m.text


def test_exact_offsets() -> None:
    text = 'Officials said: "The road is closed." Others called it "temporary".'
    assert find_quotes(text) == [
        QuoteMention(17, 36, "The road is closed.", "direct"),
        QuoteMention(56, 65, "temporary", "partial"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('"""', id="only-marks"),
        pytest.param("' ' ' \u201c \u201d", id="spaced-marks"),
        pytest.param('He said "yes and "no', id="two-openers"),
        pytest.param("\u201d backwards \u201c", id="reversed-curly"),
    ],
)
def test_unbalanced_does_not_crash(text: str) -> None:
    for m in find_quotes(text):
        assert text[m.start : m.end] == m.text


def test_sorted_by_start() -> None:
    text = '\'Alpha,\' he said. "Beta," she said.\n"Gamma."'
    starts = [m.start for m in find_quotes(text)]
    assert starts == sorted(starts) and len(starts) == 3


@pytest.mark.parametrize(
    ("text", "speech"),
    [
        ('He called it "a good start".', True),
        ('Putin condemned it as a "major provocation".', True),
        ('Trump likened the refugees to a "vicious snake" in a song.', True),
        ('"No," she said.', True),
        ('She watched "Shark Tank." yesterday.', False),
        ('The so-called "experts" were wrong.', False),
        ('I read "Fox News Sunday," then left.', False),
        ('They sang "we will go home tonight" all night.', True),  # more than three words
        ('He called her a "disgrace" on Wednesday.', False),  # one word in the writer's sentence
        ('She said the staff were "well-paid," he added.', False),
        ('"Never," she said.', True),  # one word, said on its own
    ],
    ids=[
        "called",
        "condemned",
        "likened",
        "short-direct",
        "title",
        "so-called",
        "title-comma",
        "long",
        "one-word-term",
        "one-word-hyphen",
        "one-word-said",
    ],
)
def test_short_quotes_count_as_speech_only_beside_a_speech_verb(text, speech):
    (mention,) = find_quotes(text)
    assert is_speech(text, mention) is speech


@pytest.mark.parametrize(
    ("text", "speech"),
    [
        ('She told "Morning Joe" that it was over.', False),
        ('He said the mayor, dubbed "The Dealmaker" by fans, would win.', False),
        ('"Bobby!" she said.', True),  # punctuation inside: words said, not a name
        ('He said it was "Peace Through Strength."', True),
        ('He said it was "the Morning Joe of politics" and left.', True),
        ('Speaking on ABC\'s "This Week," Carson admitted it.', False),  # American comma
        ('"That," he added, "promises to make life harder."', True),  # one word: words said
        ('He wrote: "Follow Pam Key on Twitter @pamkeyNEN."', False),  # the page's footer
        ('He said on "Meet the Press." He left.', False),
        ('He told Sirius XM\'s "Breitbart News Daily." Then he left.', False),
        ('Trump says in the spot titled "Dangerous," that ISIS must go.', False),
    ],
    ids=[
        "show",
        "nickname",
        "chant",
        "slogan-with-stop",
        "sentence-case",
        "show-comma",
        "split-quote",
        "footer",
        "show-stop-after-on",
        "show-stop-after-possessive",
        "spot-comma-after-titled",
    ],
)
def test_a_name_in_title_case_is_not_speech(text, speech):
    mention = find_quotes(text)[0]
    assert is_speech(text, mention) is speech


def test_quotes_in_a_headline_are_left_to_the_body():
    text = (
        "Sanders: Clinton needs to 'get away from the personality stuff'\n\n"
        'Bernie Sanders said Clinton needs to "get away from the personality stuff."\n'
    )
    headline, body = find_quotes(text)
    assert not is_speech(text, headline)
    assert is_speech(text, body)


def test_an_opening_sentence_is_no_headline_and_its_quote_counts():
    # one rule decides the headline for the title, the quotes and the events: a short
    # first paragraph that ends like a sentence is the lead, not a headline
    text = '"We are safe now," the mayor said.\n\nThe river fell overnight.\n'
    (mention,) = find_quotes(text)
    assert is_speech(text, mention)
    assert load_article(text).title is None


def test_a_one_line_article_has_no_headline():
    text = 'Sanders said Clinton must "get away from the personality stuff."'
    (mention,) = find_quotes(text)
    assert is_speech(text, mention)


# One paragraph of more than 1,000 characters, as a pasted article or a feed's body comes.
FLOOD = (
    "Town wakes to a flood\n\n"
    + "The river rose overnight and covered the lower streets of the town. " * 8
    + 'Mayor Ana Silva said: "We have never seen water this high." '
    '"Every family on the river side has been moved." '
    '"The schools will stay shut until Monday." '
    + "Engineers checked the old bridge on Tuesday and found no damage to its piers. " * 4
    + 'A resident, Tom Reyes, told local radio the water reached "the second step of the church".'
)


def quotes_task(text: str) -> str:
    ctx = Context.build(load_article(text))
    return render("quotes", **quotes.question(ctx).variables)


def passages(text: str) -> list[str]:
    """The "Paragraph:" lines of the quotes task: each passage as the model is shown it."""
    return [line for line in quotes_task(text).splitlines() if line.startswith("Paragraph:")]


def test_a_long_paragraph_shows_each_quote_with_its_own_sentence():
    task = quotes_task(FLOOD)
    assert "Paragraph: Mayor Ana Silva said: [Q1]\n" in task
    assert "Engineers checked" not in task
    assert "A resident, Tom Reyes, told local radio the water reached [Q4]" in task


def test_quotes_alone_are_shown_after_the_words_that_introduce_them():
    shown = passages(FLOOD)
    assert shown[1].endswith("of the town. Mayor Ana Silva said: [Q1]) [Q2]")
    assert shown[2].endswith("of the town. Mayor Ana Silva said: [Q1] [Q2]) [Q3]")


def test_a_paragraph_that_is_a_quote_alone_is_shown_after_the_one_before():
    text = (
        "Town wakes to a flood\n\n"
        'The mayor spoke on Friday. Mayor Ana Silva said: "We have never seen water this high.'
        '\n\n"Every family on the river side has been moved."\n\n"The schools will stay shut."\n'
    )
    shown = passages(text)
    assert shown[1] == (
        "Paragraph: (previous paragraph: The mayor spoke on Friday. Mayor Ana Silva said: [Q1])"
        " [Q2]"
    )
    assert shown[2].endswith("Mayor Ana Silva said: [Q1]) [Q2]) [Q3]")


def test_a_paragraph_of_a_quote_and_a_pronoun_is_shown_after_the_paragraph_that_names_her():
    text = (
        'Sanders spoke first. "It is not a radical idea," he said.\n\n'
        "But the other candidate, Hillary Clinton, drew a contrast on jobs.\n\n"
        '"I do take what Alan Krueger said seriously," she said.\n'
    )
    assert passages(text)[1] == (
        "Paragraph: (previous paragraph: But the other candidate, Hillary Clinton, drew a "
        "contrast on jobs.) [Q2] she said."
    )


def test_a_short_paragraph_is_shown_whole():
    text = 'The storm passed at noon. "It is over," the mayor said. Crews cleared roads.'
    assert "Paragraph: The storm passed at noon. [Q1] the mayor said. Crews cleared roads." in (
        quotes_task(text)
    )


@pytest.mark.vcr
@pytest.mark.parametrize(
    "role, kept",
    [("Mayor", None), ("mayor", None), ("the mayor of Portmere", "The mayor of Portmere")],
)
def test_a_role_that_repeats_the_speaker_is_left_out(client, vcr, role, kept):
    text = 'The mayor of Portmere, Mayor Ana Ribeiro, said: "We will rebuild the quay soon."\n'
    quote = _attributed(client, vcr, text, "Mayor Ana Ribeiro", role, None)
    assert (quote.speaker, quote.speaker_role) == ("Mayor Ana Ribeiro", kept)


@pytest.mark.vcr
@pytest.mark.parametrize(
    "channel, kept",
    [("Mike Brown", None), ("Brown", None), ("a statement", "a statement")],
)
def test_a_channel_that_is_the_speakers_name_is_left_out(client, vcr, channel, kept):
    text = 'Transport commissioner Mike Brown said in a statement: "We are working closely."\n'
    quote = _attributed(client, vcr, text, "Mike Brown", None, channel)
    assert (quote.speaker, quote.channel) == ("Mike Brown", kept)


def _attributed(client, vcr, text: str, speaker: str, role: str | None, channel: str | None):
    """The brief's one quote, when the model attributes it so (a hand-written answer)."""
    (key,) = answer_keys("quotes", text)
    answer = {key: {"speaker": speaker, "speaker_role": role, "channel": channel}}
    inject_fault(vcr, "say who is quoted", 200, chat_completion(json.dumps(answer)))
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client) as engine:
        (quote,) = engine.summarize(text, passes=("quotes",)).quotes
    return quote


AFTER = 'Jennifer Palmieri said in a statement: "We welcome the review of the emails."\n'
BEFORE = 'In a statement, Jennifer Palmieri said: "We welcome the review of the emails."\n'


@pytest.mark.vcr
@pytest.mark.parametrize(
    "text, channel, kept",
    [
        (AFTER, "said", None),
        (AFTER, "Jennifer Palmieri said", None),
        (AFTER, "Jennifer Palmieri said in a statement", "in a statement"),
        (AFTER, "said in a statement", "in a statement"),
        (AFTER, "in a statement", "in a statement"),
        (BEFORE, "In a statement, Jennifer Palmieri said", "In a statement"),
    ],
)
def test_a_channel_that_is_only_the_attribution_is_left_out(client, vcr, text, channel, kept):
    quote = _attributed(client, vcr, text, "Jennifer Palmieri", None, channel)
    assert (quote.speaker, quote.channel) == ("Jennifer Palmieri", kept)


def test_a_quote_printed_twice_is_asked_about_once():
    said = 'The mayor said: "We will rebuild the bridge before winter."'
    task = quotes_task(f"Bridge to reopen\n\n{said}\n\nThe river fell on Tuesday.\n\n{said}")
    assert "[Q1]" in task and "[Q2]" not in task


@pytest.mark.vcr
@pytest.mark.parametrize(
    "written, answered", [("Mr Comey", "Mr. Comey"), ("Dr. Ana Silva", "Dr Ana Silva")]
)
def test_a_speaker_differing_only_in_a_titles_full_stop_is_taken_as_written(
    client, vcr, written, answered
):
    text = f'"We have not changed our conclusions," said {written} in a letter to Congress.\n'
    (key,) = answer_keys("quotes", text)
    answer = {key: {"speaker": answered, "speaker_role": None, "channel": None}}
    inject_fault(vcr, "say who is quoted", 200, chat_completion(json.dumps(answer)))
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client) as engine:
        brief = engine.summarize(text, passes=("quotes",))
    assert brief.quotes[0].speaker == written
    assert brief.meta.attempts == 1  # not sent back


def _speakers(client, vcr, text: str, answered: list[str]) -> list[str | None]:
    """The speakers the brief gives when the model answers `answered`, quote by quote."""
    return [quote.speaker for quote in _quotes(client, vcr, text, [(s, None) for s in answered])]


def _quotes(client, vcr, text: str, answered: list[tuple[str, str | None]]):
    """The brief's quotes when the model answers these speakers and roles, quote by quote."""
    keys = answer_keys("quotes", text)
    answer = {
        k: {"speaker": speaker, "speaker_role": role, "channel": None}
        for k, (speaker, role) in zip(keys, answered, strict=True)
    }
    inject_fault(vcr, "say who is quoted", 200, chat_completion(json.dumps(answer)))
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client) as engine:
        return engine.summarize(text, passes=("quotes",)).quotes


@pytest.mark.vcr
def test_a_quote_after_a_pronouns_attribution_goes_on_in_its_speakers_words(client, vcr):
    text = (
        'Trump spoke last. "She is protected by a rigged system," he told supporters in '
        'Michigan. "Hillary Clinton is guilty." FBI director James Comey revealed the review.\n'
    )
    first, second = _quotes(client, vcr, text, [("Trump", None), ("James Comey", "director")])
    assert (second.speaker, second.speaker_role) == ("Trump", None)  # not Comey's title


@pytest.mark.vcr
def test_a_quote_after_a_pronouns_attribution_with_a_speech_verb_of_its_own_keeps_it(client, vcr):
    text = (
        'Trump spoke last. "She is protected by a rigged system," he told supporters in '
        'Michigan. "Hillary Clinton is guilty," Comey said. FBI director James Comey left.\n'
    )
    answered = [("Trump", None), ("Comey", None)]
    assert [q.speaker for q in _quotes(client, vcr, text, answered)] == ["Trump", "Comey"]


@pytest.mark.vcr
@pytest.mark.parametrize(
    "text, answered, expected",
    [
        # the object of "described ... as" is not the speaker: its subject is
        (
            'In contrast, Ham described Clinton as "a lifetime politician who never worked."\n',
            ["Clinton"],
            ["Ham"],
        ),
        # a quote that opens its sentence is told by the attribution before it
        (
            '"I call it the trip that launched a thousand trips," said Murphy, a consultant. '
            '"It opened the door." Mitchell went on to Rangoon.\n',
            ["Murphy", "Mitchell"],
            ["Murphy", "Murphy"],
        ),
        # '"…?" Clinton said.' before it, which the splitter takes for two sentences
        (
            '"How many times must we see this?" Clinton said. "In Tulsa, a man died."\n',
            ["Clinton", "Tulsa"],
            ["Clinton", "Clinton"],
        ),
        # a title's stop later in that attribution does not end its sentence
        (
            '"It is on the ballot," Mr. Obama said at the gala, where Mrs. Clinton also spoke. '
            '"Justice is on the ballot."\n',
            ["Obama", "Mrs. Clinton"],
            ["Obama", "Mr. Obama"],
        ),
        # nor does an abbreviation's or an initial's, as the sentence splitter reads them
        (
            '"It is on the ballot," Obama said at the U.S. Capitol with John F. Kennedy Jr. '
            'and Mrs. Pelosi. "Justice is on the ballot."\n',
            ["Obama", "Mrs. Pelosi"],
            ["Obama", "Obama"],
        ),
        # "the" joins no name: not "Amendment the Founding Fathers"
        (
            "Rather than infringe on the only Amendment the Founding Fathers wrote "
            '"shall not be infringed." Hawkins left.\n',
            ["Hawkins"],
            ["Founding Fathers"],
        ),
        # a legislator's party and state between the name and the verb
        (
            '"He would be a great senator," Rep. Elijah E. Cummings (D-Md.) said in an '
            "interview. Scott smiled.\n",
            ["Scott"],
            ["Rep. Elijah E. Cummings"],
        ),
        # an attribution the sentence before does not end with is no one's here
        (
            '"The quay is fine," said Xavier Ross. Yolanda Smith went home. "It is not."\n',
            ["Xavier Ross", "Yolanda Smith"],
            ["Xavier Ross", "Yolanda Smith"],
        ),
        # a quote that opens its paragraph, below "Name says:"
        (
            "The report aired on Monday.\n\nReporter Jomana Karadsheh says:\n\n"
            '"The consulate has been taken over and looted."\n\nEarnest declined to comment.\n',
            ["Earnest"],
            ["Reporter Jomana Karadsheh"],
        ),
        # a quote that ends its sentence is not the next sentence's speaker's
        (
            'Japan branded North Korea an "outlaw nation in the neighborhood." Russia insisted '
            'that Pyongyang "stop its dangerous escapades."\n',
            ["Japan", "Japan"],
            ["Japan", "Russia"],
        ),
        # the attribution at the end of the quote's sentence
        (
            'A cashier who "steals five dollars from the till" is held accountable, Warren '
            "said. Stumpf disagreed.\n",
            ["Stumpf"],
            ["Warren"],
        ),
        # a clause opener capitalised at the sentence's start is not part of the name
        (
            'While Will acknowledges Trump\'s appeal as a "forceful persona," he backs Christie.\n',
            ["Trump"],
            ["Will"],
        ),
        # a title's words between an organisation and the person who speaks
        (
            '"We have refunded the gifts," said Ayotte campaign manager Jon Kohan.\n',
            ["Ayotte"],
            ["Jon Kohan"],
        ),
        # "as X put it" names whose words they are
        (
            "His degree has not kept him from being seen, as The New Yorker put it in an "
            'expose, "the operator who sells the cures."\n',
            ["David Gorski"],
            ["The New Yorker"],
        ),
        # a list's item is the words of whoever the paragraph above the list introduces
        (
            "Trump wants a ban. Soerens argued that:\n\nl Only 2,200 Syrians came in.\n\n"
            "l Most are Muslim because \"it's a mostly Muslim country and most of the victims "
            'are Muslim."\n',
            ["Trump"],
            ["Soerens"],
        ),
        # a passive's agent is the speaker, not its subject
        (
            'Rubio was asked by Fox Business moderator Gerard Baker whether it would risk "a '
            'new entitlement."\n',
            ["Marco Rubio"],
            ["Gerard Baker"],
        ),
        # ", saying" is said by the subject of the clause before it
        (
            "During a speech, Trump attacked Clinton for her votes in Iraq, saying, "
            '"She\'s trigger-happy."\n',
            ["Clinton"],
            ["Trump"],
        ),
        # "recalled" is a speech verb too
        (
            'Benjamin Rhodes, one of his aides, recalled Mr. Obama talking about "a book '
            'about collapse."\n',
            ["Mr. Obama"],
            ["Benjamin Rhodes"],
        ),
        # "reported" names who the words are from, with a clause opener or a time between
        (
            'Bennett won. As Politico reported, "Trump would win the primary by 20 points."\n',
            ["Bennett"],
            ["Politico"],
        ),
        (
            'The FBI moved. Fox News reported on Thursday that "agents are looking at perjury."\n',
            ["The FBI"],
            ["Fox News"],
        ),
        # a title with a lowercase word between the quote and the name that speaks
        (
            'Clinton "is the only candidate with the temperament," retired Air Force general '
            "Lloyd Newton said.\n",
            ["Clinton"],
            ["Lloyd Newton"],
        ),
        # "The" before a name opens an organisation's name
        (
            'Japan was angry. The International Atomic Energy Agency said the tests showed "a '
            'complete disregard."\n',
            ["Japan"],
            ["The International Atomic Energy Agency"],
        ),
        # no name beside the speech verb: the model's answer stands
        (
            'Ana Ribeiro spoke last. "We are safe now and we will rebuild," she said.\n',
            ["Ana Ribeiro"],
            ["Ana Ribeiro"],
        ),  # fmt: skip
    ],
)
def test_the_subject_of_the_speech_verb_is_the_speaker(client, vcr, text, answered, expected):
    assert _speakers(client, vcr, text, answered) == expected


@pytest.mark.vcr
@pytest.mark.parametrize(
    "text, answered, expected",
    [
        (
            '"This is a broad statute," former FBI agent Timothy Gill explained.\n',
            "former FBI agent Timothy Gill",
            ("Timothy Gill", "former FBI agent"),
        ),
        # a name's own particle and a title in capitals are part of the name
        (
            '"We will stay," Secretary of State John F. Kerry said.\n',
            "Secretary of State John F. Kerry",
            ("Secretary of State John F. Kerry", None),
        ),
        (
            '"We agreed," Sheikh Mohammed bin Rashid Al Maktoum said.\n',
            "Sheikh Mohammed bin Rashid Al Maktoum",
            ("Sheikh Mohammed bin Rashid Al Maktoum", None),
        ),
    ],
)
def test_a_title_before_the_speakers_full_name_is_the_role(client, vcr, text, answered, expected):
    (quote,) = _quotes(client, vcr, text, [(answered, None)])
    assert (quote.speaker, quote.speaker_role) == expected


TRANSCRIPT = (
    "Pence spoke on Sunday. A partial transcript follows:\n\n"
    '"WALLACE: Will Flowers be there tomorrow night, sir?\n\n'
    '"PENCE: She will not be attending the debate tomorrow night.\n\n'
    '"WALLACE: Do you really see those two as equivalent?"\n'
)


@pytest.mark.vcr
def test_a_transcripts_line_is_the_words_of_the_speaker_its_label_names(client, vcr):
    speakers = _speakers(client, vcr, TRANSCRIPT, ["Pence", "Pence", "Pence"])
    assert speakers == ["WALLACE", "Pence", "WALLACE"]  # the guest's lines stay his


@pytest.mark.vcr
def test_a_single_label_is_not_a_transcript(client, vcr):
    text = 'The mayor spoke.\n\n"UPDATE: The mayor said the roads will open again on Monday."\n'
    assert _speakers(client, vcr, text, ["The mayor"]) == ["The mayor"]
