"""Direct quotes: the quoted words found and who said them, case by hard case.

Each case is written once (with “ ” for the quote under test) and checked in every
typographic style English news uses: curly double, straight double, curly single and
straight single marks. All people, places and words here are invented.
"""
from __future__ import annotations

import pytest
from annotation_support import STYLES, article, found, read, read_styled, styled

from newsreader.nlp.marks import find_marked


def styles(xfail: dict[str, str] | None = None) -> list:
    """Every style as a parameter; ``xfail`` maps the styles the annotator gets wrong
    today to the reason."""
    xfail = xfail or {}
    return [
        pytest.param(name, id=name,
                     marks=[pytest.mark.xfail(strict=True, reason=xfail[name])] if name in xfail else [])
        for name in STYLES
    ]


def grid(cases: dict[str, str], xfail: dict[tuple[str, str], str]) -> list:
    """(case, style) parameters for every case in every style; ``xfail`` maps the
    (case id, style) pairs the annotator gets wrong today to the reason."""
    return [
        pytest.param(value, style, id=f"{case}-{style}",
                     marks=[pytest.mark.xfail(strict=True, reason=xfail[case, style])]
                     if (case, style) in xfail else [])
        for case, value in cases.items() for style in STYLES
    ]


# -- where the attribution stands ---------------------------------------------------

@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template, expected", [
    (("Mr David Harrow runs the boatyard at Carnbrea.\n\n"
     "“We will rebuild the slipway before winter,” he said."),
     [("We will rebuild the slipway before winter,", "David Harrow")]),
    (("The council met on Monday to set the budget. "
     "“The accounts are balanced at last,” said Ms Sarah Whitfield."),
     [("The accounts are balanced at last,", "Sarah Whitfield")]),
    ("“The accounts are balanced at last,” Sarah Whitfield told the council on Monday.",
     [("The accounts are balanced at last,", "Sarah Whitfield")]),
], ids=["pronoun", "said-name", "name-told"])
def test_speaker_after_the_quote(template: str, expected: list, style: str) -> None:
    assert found(read_styled(template, style)) == expected


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template", [
    "Ms Julia Brennan runs the food bank in Carnbrea. She said: “Demand has doubled since spring.”",
    ("Ms Julia Brennan runs the food bank in Carnbrea. She told reporters:\n\n"
    "“Demand has doubled since spring.”"),
], ids=["same-paragraph", "colon-ends-paragraph"])
def test_speaker_before_with_a_colon(template: str, style: str) -> None:
    assert found(read_styled(template, style)) == [("Demand has doubled since spring.", "Julia Brennan")]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template", [
    "“The river will not wait for committees.” — Helen Marsh",
    "The ferry pilots gathered at the quay.\n\n“The river will not wait for committees.” — Helen Marsh",
    "“The river will not wait for committees.” \u2013 Helen Marsh, a ferry pilot",
], ids=["alone", "after-a-paragraph", "en-dash-with-apposition"])
def test_dash_attribution(template: str, style: str) -> None:
    reading = read_styled(template, style)
    assert found(reading) == [("The river will not wait for committees.", "Helen Marsh")]
    assert reading.quotes[0].mention is not None and reading.quotes[0].mention.text == "Helen Marsh"


# -- quotes in pieces -------------------------------------------------------------

@pytest.mark.parametrize("style", styles())
def test_quote_split_by_its_attribution_between_sentences(style: str) -> None:
    text = ("Dr Anna Kowalczyk leads the glacier survey. "
            "“The ice is thinner than ever,” she said. “We measured it twice.”")
    assert found(read_styled(text, style)) == [
        ("The ice is thinner than ever,", "Anna Kowalczyk"),
        ("We measured it twice.", "Anna Kowalczyk"),
    ]


@pytest.mark.parametrize("style", styles())
def test_quote_split_by_its_attribution_within_a_sentence(style: str) -> None:
    text = ("Professor Peter Lanyon leads the glacier survey. "
            "“The ice is thinner than ever,” he said, “and it gets worse every year.”")
    assert found(read_styled(text, style)) == [
        ("The ice is thinner than ever,", "Peter Lanyon"),
        ("and it gets worse every year.", "Peter Lanyon"),
    ]


MULTI_PARAGRAPH = (
    "Mr Thomas Bramwell, the tunnel commissioner, spoke at length. “The first phase of the tunnel is "
    "finished,” he said. “The second phase begins in May. We expect delays.\n\n"
    "“The costs have risen, but the funding is secure.”\n\n"
    "The commission meets again in June."
)



@pytest.mark.parametrize("style", styles())
def test_multi_paragraph_quote_has_one_entry_per_paragraph(style: str) -> None:
    reading = read_styled(MULTI_PARAGRAPH, style)
    assert found(reading) == [
        ("The first phase of the tunnel is finished,", "Thomas Bramwell"),
        ("The second phase begins in May. We expect delays.", "Thomas Bramwell"),
        ("The costs have risen, but the funding is secure.", "Thomas Bramwell"),
    ]
    text = reading.article.text
    # the open paragraph's entry stops at its own paragraph's end
    assert "\n" not in reading.quotes[1].text and text[reading.quotes[1].end:].startswith("\n\n")


@pytest.mark.parametrize("style", styles())
def test_multi_paragraph_quote_attributed_at_its_end(style: str) -> None:
    text = ("Mr Thomas Bramwell, the tunnel commissioner, spoke at length.\n\n"
            "“The first phase of the tunnel is finished. We expect delays.\n\n"
            "“The costs have risen, but the funding is secure,” he said.")
    assert found(read_styled(text, style)) == [
        ("The first phase of the tunnel is finished. We expect delays.", "Thomas Bramwell"),
        ("The costs have risen, but the funding is secure,", "Thomas Bramwell"),
    ]


@pytest.mark.parametrize("style", styles())
def test_bare_quote_paragraphs_continue_the_last_speaker(style: str) -> None:
    text = ("Mr David Harrow spoke first. “We built this yard from nothing,” he said.\n\n"
            "“Every boat here was made by hand.”\n\n"
            "The yard employs forty people.\n\n"
            "“Nobody will take that away.”")
    assert found(read_styled(text, style)) == [
        ("We built this yard from nothing,", "David Harrow"),
        ("Every boat here was made by hand.", "David Harrow"),
        ("Nobody will take that away.", "David Harrow"),
    ]


# -- partial quotes and other framings ----------------------------------------------

@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template, words, speaker", [
    (("The treasurer, Mr James Calder, warned that cutting the grant would be "
     "“ill-advised and short-sighted”."), "ill-advised and short-sighted", "James Calder"),
    ("Professor Rachel Stroud described the findings as “a turning point for the whole field”.",
     "a turning point for the whole field", "Rachel Stroud"),
    (("Senator Michael Ostrow insisted the vote had been “fair, open and lawful” and promised "
     "to publish the tally."), "fair, open and lawful", "Michael Ostrow"),
    ("Ms Karen Ashby said the closure was “a betrayal of every family in the valley”.",
     "a betrayal of every family in the valley", "Karen Ashby"),
], ids=["warned", "described-as", "insisted", "said"])
def test_partial_quote_inside_a_sentence(template: str, words: str, speaker: str, style: str) -> None:
    assert found(read_styled(template, style)) == [(words, speaker)]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template, words", [
    ("According to Susan Fairley, the lock keeper, “the gates have not been replaced since 1950”.",
     "the gates have not been replaced since 1950"),
    ("“The gates have not been replaced since 1950,” according to Susan Fairley, the lock keeper.",
     "The gates have not been replaced since 1950,"),
    ("The canal will close until August, according to Susan Fairley, “because the gates are rotten”.",
     "because the gates are rotten"),
], ids=["before", "after", "mid-sentence"])
def test_according_to(template: str, words: str, style: str) -> None:
    assert found(read_styled(template, style)) == [(words, "Susan Fairley")]


def test_a_participle_before_a_name_is_not_the_reporting_verb() -> None:
    """'"…," retired Air Force general Lloyd Fenner said': "retired" describes the
    general; the name is the speaker, not the organisation before it."""
    text = ("Ellery \u201cis the only candidate that has the experience, temperament and leadership "
            "to keep Pellow safe and our partnerships strong,\u201d retired Air Force general Lloyd Fenner said.")
    assert [q.speaker for q in read(text).quotes] == ["Lloyd Fenner"]


def test_so_called_is_not_a_verb_of_saying() -> None:
    """"the so-called establishment" reports no one's words: the quote goes to the
    sentence's subject, not to "establishment"."""
    text = ("Fenner was once part of the so-called establishment, but is now \u201cthe worst thing "
            "that ever happened to the establishment.\u201d")
    assert [(q.speaker, q.mention and q.mention.text) for q in read(text).quotes] == [("Fenner", "Fenner")]


ASIDES = {
    "relative-clause":
        "Sir Robert Ellery, who leads the Liberal Unionists, said: “We will not join any coalition.”",
    "relative-clause-after-quote":
        "“We will not join any coalition,” Sir Robert Ellery, who leads the Liberal Unionists, said.",
    "participle":
        "Sir Robert Ellery, speaking after the count in Pellow on Friday, said: "
        "“We will not join any coalition.”",
    "age-and-apposition":
        "Sir Robert Ellery, 71, the leader of the Liberal Unionists since 2009, told the BBC: "
        "“We will not join any coalition.”",
    "said-name-relative-clause":
        "“We will not join any coalition,” said Sir Robert Ellery, who leads the Liberal Unionists.",
}
@pytest.mark.parametrize("template, style", grid(ASIDES, {}))
def test_asides_between_speaker_and_verb(template: str, style: str) -> None:
    reading = read_styled(template, style)
    assert [q.speaker for q in reading.quotes] == ["Robert Ellery"]
    assert reading.quotes[0].text.startswith("We will not join any coalition")


def test_capitalised_subject_of_a_speech_verb_is_a_speaker_even_when_untagged() -> None:
    # the small English model does not tag this name as a PERSON
    reading = read("Dame Rosalind Achterberg, who leads the Liberal Unionists, said: "
                   "\u201cWe will not join any coalition.\u201d")
    assert found(reading) == [("We will not join any coalition.", "Rosalind Achterberg")]


# -- things that must not break the rest ----------------------------------------------

@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("headline", [
    "Ferry strike \u2018will go ahead\u2019, union warns",
    "Ferry strike 'will go ahead', union warns",
    "Ferry strike 'will go ahead",
    "Brennan: 'We will not back down'",
], ids=["curly", "straight", "unclosed", "colon"])
def test_headline_in_single_marks_does_not_break_the_body(headline: str, style: str) -> None:
    body = ("Ms Julia Brennan leads the ferry workers\u2019 union. "
            "“The strike will go ahead on Monday,” she said.\n\n"
            "“We have waited long enough,” she added.")
    reading = read(headline + "\n\n" + styled(body, style))
    head_end = len(headline)
    in_body = [(q.text, q.speaker) for q in reading.quotes if q.start > head_end]
    assert in_body == [
        ("The strike will go ahead on Monday,", "Julia Brennan"),
        ("We have waited long enough,", "Julia Brennan"),
    ]
    for q in reading.quotes:
        if q.start < head_end:  # the headline's phrase may count as a quote, but only itself
            assert q.end <= head_end and q.text in headline


STRAYS = {
    "unclosed-paragraph": "Mr David Harrow opened the meeting with a “warning to everyone present.\n\n",
    "unclosed-same-paragraph": "Mr David Harrow opened the meeting with a “warning. ",
    "stray-closer": "Mr David Harrow measured the 12” pipe himself.\n\n",
}
@pytest.mark.parametrize("stray, style", grid(STRAYS, {}))
def test_an_unpaired_mark_early_keeps_the_later_quotes(stray: str, style: str) -> None:
    body = ("The council voted on Tuesday. “The plan will ruin the harbour,” said Ms Sarah Whitfield.\n\n"
            "“We were never consulted,” she added.")
    reading = read(styled(stray + body, style))
    assert found(reading)[-2:] == [
        ("The plan will ruin the harbour,", "Sarah Whitfield"),
        ("We were never consulted,", "Sarah Whitfield"),
    ]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template", [
    "The so-called “harbour tax” has angered traders.",
    "The council published a report titled “Tides of Change in the Western Bay” on Monday.",
    "The council published its report “Tides of Change in the Western Bay” on Monday.",
    "The skipper, known as “Old Sal” along the coast, retired on Friday.",
    "The skipper, nicknamed “Old Sal” along the coast, retired on Friday.",
    "Every trader has heard the word “levy” too often this year.",
    "The “temporary” levy has now lasted nine years.",
], ids=["so-called", "titled", "report", "known-as", "nicknamed", "the-word", "scare-quote"])
def test_names_terms_and_titles_are_not_quotes(template: str, style: str) -> None:
    text = template + " Ms Sarah Whitfield said: “Nobody voted for this.”"
    assert found(read_styled(text, style)) == [("Nobody voted for this.", "Sarah Whitfield")]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template", [
    "Mr Daniel Okafor runs the boatyard. “I told them we would never sell,” he said.",
    "Mr Daniel Okafor runs the boatyard. He said: “We told the council that I would never sell.”",
    ("Ms Laura Pennington visited the boatyard. "
    "“I said we would never sell, and I meant it,” Mr Daniel Okafor told her."),
], ids=["after", "before", "speech-verb-inside"])
def test_first_person_inside_the_quote_is_not_the_speaker(template: str, style: str) -> None:
    reading = read_styled(template, style)
    assert [q.speaker for q in reading.quotes] == ["Daniel Okafor"]
    assert reading.quotes[0].mention is not None
    assert reading.quotes[0].mention.text.lower() not in ("i", "we", "me", "us")
    assert [s.name for s in reading.speakers] == ["Daniel Okafor"]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("apostrophe", ["'", "\u2019"], ids=["straight-apostrophe", "curly-apostrophe"])
def test_apostrophes_are_not_quote_marks(apostrophe: str, style: str) -> None:
    text = ("It's been a hard year for the yard. In the '90s it built forty boats, and "
            "James' car and the Calders' van are still parked outside. "
            "Mr Daniel Okafor said: “It's not over.”").replace("'", apostrophe)
    reading = read_styled(text, style)
    said = "It's not over.".replace("'", apostrophe)
    assert found(reading) == [(said, "Daniel Okafor")]


# -- the mark-pairing layer on its own (no parse) -----------------------------------

def stretches(text: str) -> list[str]:
    return [text[m.start : m.end] for m in find_marked(text, article(text).paragraphs)]


@pytest.mark.parametrize("text, expected", [
    ("He said \u201cmaybe\u201d and \u201cno\u201d.", ["maybe", "no"]),
    ('He said "maybe" and "no".', ["maybe", "no"]),
    ("He said \u2018maybe\u2019 and \u2018no\u2019.", ["maybe", "no"]),
    ("He said 'maybe' and 'no'.", ["maybe", "no"]),
    ("a \u00abguillemet quote\u00bb here", ["guillemet quote"]),
    ("\u201eGerman style\u201c here", ["German style"]),
    ("a \u201cmisprinted\u201c closer", ["misprinted"]),
    ('"a" "b"', ["a", "b"]),
], ids=["curly", "straight", "single", "straight-single", "guillemets", "low-high", "misprint",
        "adjacent"])
def test_marks_pair(text: str, expected: list[str]) -> None:
    assert stretches(text) == expected


@pytest.mark.parametrize("text", [
    "It's the '90s and James' car is outside.",
    "It\u2019s the \u201990s and James\u2019 car is outside.",
    "The Smiths' dog and the Calders' van belong to O'Brien.",
    "Mattis' strong words won't change the dons' minds.",
    "They can't, won't and shouldn't; y'all know it's '24 now.",
], ids=["straight", "curly", "plural-possessives", "possessive-before-lowercase", "contractions"])
def test_apostrophes_pair_nothing(text: str) -> None:
    assert stretches(text) == []


def test_elision_n_is_not_a_quote() -> None:
    assert stretches("They played rock 'n' roll until dawn.") == []


def test_possessive_s_mark_does_not_close_a_single_quote() -> None:
    text = "Mattis' strong words were 'very clear' today"
    assert stretches(text) == ["very clear"]


@pytest.mark.parametrize("text", [
    "She called the plan \u2018ridiculous\u2019 and the timetable \u2018a fantasy\u2019.",
    "She called the plan 'ridiculous' and the timetable 'a fantasy'.",
], ids=["curly", "straight"])
def test_single_quoted_word_ending_in_s_closes(text: str) -> None:
    assert stretches(text) == ["ridiculous", "a fantasy"]


def test_nested_marks_belong_to_the_outer_quote() -> None:
    text = "\u201cThey called it \u2018a disgrace\u2019 and left,\u201d she said."
    marked = find_marked(text, article(text).paragraphs)
    assert [text[m.start : m.end] for m in marked] == ["They called it \u2018a disgrace\u2019 and left,"]
    assert marked[0].double


def test_open_quote_runs_on_into_the_paragraph_that_reopens_it() -> None:
    text = "\u201cFirst part.\n\n\u201cSecond part,\u201d she said.\n\nAfter."
    marked = find_marked(text, article(text).paragraphs)
    assert [text[m.start : m.end] for m in marked] == ["First part.", "Second part,"]
    assert (marked[0].open_end, marked[0].reopened) == (True, False)
    assert (marked[1].open_end, marked[1].reopened) == (False, True)


def test_open_quote_not_reopened_is_not_continued() -> None:
    text = "A stray \u201cmark here.\n\nA plain paragraph with \u201cits own\u201d quote."
    marked = find_marked(text, article(text).paragraphs)
    assert [text[m.start : m.end] for m in marked] == ["mark here.", "its own"]
    assert marked[0].open_end and not marked[1].reopened


def test_single_mark_quote_runs_on_into_the_next_paragraph() -> None:
    text = "\u2018First part.\n\n\u2018Second part,\u2019 she said."
    marked = find_marked(text, article(text).paragraphs)
    assert [text[m.start : m.end] for m in marked] == ["First part.", "Second part,"]
    assert marked[0].open_end and marked[1].reopened


@pytest.mark.parametrize("text, expected", [
    ("A stray\u201d closer, then \u201ca real quote\u201d.", ["a real quote"]),
    ("The 12\" pipe burst. \"It was old,\" he said.", ["It was old,"]),
    ("He typed \"hello and left. Later she said \"goodbye\" to him.", ["hello and left. Later she said", "goodbye"]),
    ("An opener \u201cleft open.\n\nThen \u201ca quote\u201d in the next paragraph.", ["left open.", "a quote"]),
], ids=["lone-closer", "inch-mark", "unclosed-then-quote", "unclosed-paragraph"])
def test_an_unpaired_mark_loses_only_itself(text: str, expected: list[str]) -> None:
    assert stretches(text) == expected


@pytest.mark.parametrize("text", ['""', "\u201c  \u201d", "\u201c...\u201d", "\u2018 \u2019", "\u201c\u201d\u201c\u201d"])
def test_stretches_without_words_are_dropped(text: str) -> None:
    assert stretches(text) == []


def test_stretch_bounds_exclude_the_marks() -> None:
    text = ("\u201cOne,\u201d he said. \"Two.\" \u2018Three\u2019 and \u00abfour\u00bb.\n\n"
            "\u201cFive\n\n\u201cSix.\u201d")
    for m in find_marked(text, article(text).paragraphs):
        assert text[m.start - 1] in "\u201c\"\u2018\u00ab"
        assert text[m.start].isalnum() and 0 <= m.start <= m.end <= len(text)
        assert m.end == len(text) or text[m.end] in "\u201d\"\u2019\u00bb\n" or m.open_end


@pytest.mark.parametrize("style", styles())
def test_a_bracketed_aside_before_the_verb(style: str) -> None:
    text = ("Several members lined up behind the bill.\n\n"
            "“It is a fair bill. Not good, fair,” Rep. Dana Whitlock (D-Md.) said in an interview.")
    assert found(read_styled(text, style)) == [("It is a fair bill. Not good, fair,", "Dana Whitlock")]


@pytest.mark.parametrize("style", styles())
def test_a_quoted_label_does_not_cut_the_sentence(style: str) -> None:
    text = "Senator Ann Tolliver says her “old friend” Mark Dobbs ran “a decent and honest campaign.”"
    assert found(read_styled(text, style)) == [("a decent and honest campaign.", "Ann Tolliver")]


@pytest.mark.parametrize("style", styles())
def test_a_participle_after_the_quote_reports_for_the_main_speaker(style: str) -> None:
    text = ("On Monday Ms Carla Vance said the review of the harbour budget would be “slow,” "
            "adding, “Good reviews always are.”")
    assert [q.speaker for q in read_styled(text, style).quotes] == ["Carla Vance", "Carla Vance"]


@pytest.mark.parametrize("style", styles())
def test_a_one_word_quote_before_the_next_sentence_is_not_a_nickname(style: str) -> None:
    text = "Governor Jed Barrow called the ruling “reckless.” Senator Ana Ruiz called it “fair and overdue.”"
    assert found(read_styled(text, style)) == [("reckless.", "Jed Barrow"), ("fair and overdue.", "Ana Ruiz")]


@pytest.mark.parametrize("style", styles())
def test_calling_a_show_something_is_speech(style: str) -> None:
    text = "The station chief Dave Moreno called the show “the best news hour on the radio.”"
    assert found(read_styled(text, style)) == [("the best news hour on the radio.", "Dave Moreno")]


@pytest.mark.parametrize("style", styles())
def test_a_colon_after_a_clause_without_a_verb_of_saying(style: str) -> None:
    text = ("The questions put to Mayor Ruth Okafor ranged from polite to hostile. "
            "Councillor Dan Pryor (Green): “Why was the report kept from us?”")
    assert found(read_styled(text, style)) == [("Why was the report kept from us?", "Dan Pryor")]


@pytest.mark.parametrize("style", styles())
def test_a_pronoun_in_reported_words_stands_for_the_reporting_speaker(style: str) -> None:
    text = "Coach Mira Dalton told reporters that she was feeling “a lot of pressure” before the final."
    (quote,) = read_styled(text, style).quotes
    assert (quote.speaker, quote.mention.text) == ("Mira Dalton", "Coach Mira Dalton")


@pytest.mark.parametrize("style", styles())
def test_a_pronoun_that_says_the_words_stays_the_mention(style: str) -> None:
    text = "Mr Tom Reyes spoke first, though he said, “I hope to win.”"
    (quote,) = read_styled(text, style).quotes
    assert (quote.speaker, quote.mention.text) == ("Tom Reyes", "he")


@pytest.mark.parametrize("style", styles(xfail={
    "straight-single": "a straight single mark glued to a comma may as well close a quote as open one"}))
def test_a_mark_glued_to_the_comma_after_the_verb(style: str) -> None:
    text = "Mayor Lena Ortiz said,“Look, the bridge stays open.”"
    assert found(read_styled(text, style)) == [("Look, the bridge stays open.", "Lena Ortiz")]


@pytest.mark.parametrize("style", styles())
def test_a_report_that_is_quoted_as_a_clause_is_not_a_title(style: str) -> None:
    text = "Councillor Ada Quinn stated that the auditor’s report “wasn’t good enough.”"
    assert found(read_styled(text, style)) == [("wasn’t good enough.", "Ada Quinn")]


@pytest.mark.parametrize("style", styles())
def test_a_noun_in_the_middle_of_the_next_clause_is_no_verb_of_saying(style: str) -> None:
    text = "“Save the pier,” the campaign’s call to residents drew crowds to the harbour."
    assert all(q.mention is None for q in read_styled(text, style).quotes)


@pytest.mark.parametrize("style", styles())
def test_a_verb_after_the_quote_that_the_tagger_took_for_a_noun(style: str) -> None:
    text = "Hundreds marched to the harbour. “Save the pier, save the town,” the banner read."
    (quote,) = read_styled(text, style).quotes
    assert (quote.text, quote.mention.text) == ("Save the pier, save the town,", "the banner")


@pytest.mark.parametrize("style", styles())
def test_a_run_on_sentence_keeps_its_subject(style: str) -> None:
    text = "Mayor Bo Kent waved to the crowd, then leaned in and boomed: “We will win in May.”"
    assert found(read_styled(text, style)) == [("We will win in May.", "Bo Kent")]


@pytest.mark.parametrize("style", styles())
def test_speech_nobody_is_named_for_is_a_quote_without_a_speaker(style: str) -> None:
    text = ("Nobody signed the note pinned to the door of the chandlery.\n\n"
            "“We are closed until the harbour reopens.”")
    assert found(read_styled(text, style)) == [("We are closed until the harbour reopens.", None)]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("text", [
    "Under a photo of the pier was printed “Council votes to close the harbour for good” in bold type.",
    "The council adopted the policy “zero tolerance for knife crime” last year.",
], ids=["headline-shaped", "policy-named-in-lower-case"])
def test_quoted_names_nobody_is_said_to_say_are_not_quotes(text: str, style: str) -> None:
    assert found(read_styled(text, style)) == []


@pytest.mark.parametrize("style", styles())
def test_a_colon_after_a_name_and_its_bracketed_party(style: str) -> None:
    text = ("The hearing turned sharp.\n\n"
            "Rep. Owen Marsh (R-S.C.):“Who told you that the ledgers were complete?”")
    assert found(read_styled(text, style)) == [("Who told you that the ledgers were complete?", "Owen Marsh")]


@pytest.mark.parametrize("style", styles())
def test_a_colon_clause_is_judged_by_its_main_verb(style: str) -> None:
    text = "Ms Iris Navarro has since apologised for what happened: “I should have asked the harbour board first.”"
    assert found(read_styled(text, style)) == [("I should have asked the harbour board first.", "Iris Navarro")]


@pytest.mark.parametrize("style", styles())
def test_a_speech_verb_after_a_preposition_reports_for_the_main_subject(style: str) -> None:
    text = "Mayor Glen Ashby rallied supporters by warning that “the harbour is in danger” on polling day."
    assert found(read_styled(text, style)) == [("the harbour is in danger", "Glen Ashby")]


@pytest.mark.parametrize("style", styles())
@pytest.mark.parametrize("template", [
    "“We rebuilt the slipway twice in ten years,” remembered Roy Ferrand, the yard’s old foreman.",
    "“Is this what the harbour board calls a plan?” Roy Ferrand grinned at the meeting.",
], ids=["inverted", "name-first"])
def test_any_verb_in_the_reporting_slot_after_a_quote(template: str, style: str) -> None:
    (quote,) = read_styled(template, style).quotes
    assert quote.speaker == "Roy Ferrand"


@pytest.mark.parametrize("style", styles())
def test_a_clause_after_the_quote_that_is_not_a_report(style: str) -> None:
    text = "The yard was sold last year.\n\n“It was time,” Ada Kell built a wall around the yard."
    assert [q.speaker for q in read_styled(text, style).quotes] in ([], [None])


@pytest.mark.parametrize("style", styles())
def test_a_pull_quote_credited_on_the_next_line(style: str) -> None:
    text = ("The debate ran late into the night.\n\n"
            "“I went to the harbour board before the flood, and nobody listened.”\n\n"
            "— Martha Quill, in the second debate.")
    assert found(read_styled(text, style)) == [
        ("I went to the harbour board before the flood, and nobody listened.", "Martha Quill")]


def test_an_age_between_commas_does_not_hide_the_speaker() -> None:
    """'“…,” Almada, 58, told AFP': the model may tag the age as a date and leave the verb
    without a subject; the name before the age is still who speaks, not the outlet after."""
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from newsreader.nlp.quotes import _adjacent_run

    words = ["\u201c", "We", "were", "wrong", ",", "\u201d", "Almada", ",", "58", ",", "told", "AFP", "."]
    tags = ["``", "PRP", "VBD", "JJ", ",", "''", "NNP", ",", "CD", ",", "VBD", "NNP", "."]
    ents = ["O", "O", "O", "O", "O", "O", "B-ORG", "O", "B-DATE", "O", "O", "B-ORG", "O"]
    doc = Doc(English().vocab, words=words, tags=tags, ents=ents)
    after = list(doc[6:])
    assert _adjacent_run(doc[10], after).text == "Almada"


@pytest.mark.parametrize("style", styles())
def test_a_sentence_ending_in_name_said_reports_the_quote_that_opens_it(style: str) -> None:
    text = ("Opposition figures blame the old government, said Mr Lotfi Azrak.\n\n"
            "“The party is responsible for the crisis, because it was careless with the extremists” "
            "while it was in power, Azrak said.")
    assert found(read_styled(text, style)) == [
        ("The party is responsible for the crisis, because it was careless with the extremists", "Lotfi Azrak")]


@pytest.mark.parametrize("style", styles())
def test_a_participle_after_a_leader_and_his_name(style: str) -> None:
    text = ("Many figures oppose the movement.\n\n"
            "The leader of the Harbour Party, Rachid Gannour, condemned the attack, saying in a statement "
            "that it “will not break our people’s will.”")
    assert found(read_styled(text, style)) == [("will not break our people’s will.", "Rachid Gannour")]


def test_a_capitalised_word_after_the_quote_is_a_name_whatever_its_tag() -> None:
    """'“…?” Hannity pressed.': the tagger may take the name for a common noun (or a
    verb); right after a quote a capitalised subject of a reporting verb is a name."""
    from types import SimpleNamespace

    from spacy.lang.en import English
    from spacy.tokens import Doc

    from newsreader.nlp.quotes import _reporting_clause

    words = ["\u201c", "Is", "it", "fair", "?", "\u201d", "Hannity", "pressed", "."]
    tags = ["``", "VBZ", "PRP", "JJ", ".", "''", "NN", "VBD", "."]
    heads = [1, 1, 1, 1, 1, 1, 7, 7, 7]
    deps = ["punct", "ROOT", "nsubj", "acomp", "punct", "punct", "nsubj", "ROOT", "punct"]
    doc = Doc(English().vocab, words=words, tags=tags, heads=heads, deps=deps)
    ctx = SimpleNamespace(inside=bytearray(len(doc)))
    assert _reporting_clause(ctx, list(doc[6:]), comma=False).text == "Hannity"
    doc[6].tag_ = "NNP"  # and with the right tag, the same
    assert _reporting_clause(ctx, list(doc[6:]), comma=False).text == "Hannity"
    lower = Doc(English().vocab, words=words[:6] + ["prices", "rose", "."], tags=tags, heads=heads, deps=deps)
    assert _reporting_clause(ctx, list(lower[6:]), comma=False) is None  # 'prices rose' reports nothing
    # after a question a new sentence may begin: 'Prices rose sharply.' is no attribution
    words2 = words[:6] + ["Prices", "rose", "sharply", "."]
    new = Doc(English().vocab, words=words2, tags=tags[:6] + ["NNS", "VBD", "RB", "."],
              heads=heads[:6] + [7, 7, 7, 7], deps=deps[:6] + ["nsubj", "ROOT", "advmod", "punct"])
    assert _reporting_clause(ctx, list(new[6:]), comma=False) is None


@pytest.mark.parametrize("style", styles())
def test_a_paragraph_ending_in_a_colon_without_a_verb_of_saying(style: str) -> None:
    text = ("The trawler was lost at sea. Late on Friday the harbour master Ewan Doyle issued the "
            "following statement:\n\n"
            "“Our thoughts are with the crew and their families tonight.”")
    assert found(read_styled(text, style)) == [
        ("Our thoughts are with the crew and their families tonight.", "Ewan Doyle")]


@pytest.mark.parametrize("style", styles())
def test_a_letter_that_makes_the_case_carries_its_writers_words(style: str) -> None:
    text = ("Ms Rachel Hollis wrote to every delegate.\n\n"
            "Hollis’s letter makes a simple case: “We must stand together as one party.”")
    assert found(read_styled(text, style)) == [("We must stand together as one party.", "Rachel Hollis")]


@pytest.mark.parametrize("style", styles())
def test_what_he_called_stands_for_the_subject_of_the_main_verb(style: str) -> None:
    text = "Secretary General Ana Ferreira condemned what she called a “brazen breach” of the treaty."
    (quote,) = read_styled(text, style).quotes
    assert (quote.speaker, quote.mention.text) == ("Ana Ferreira", "Secretary General Ana Ferreira")


def test_speech_verb_forms_are_real_inflections() -> None:
    """The forms come from a morphology package, not spelling rules ("snaped")."""
    from newsreader.nlp.lexicon import SPEECH_FORMS

    assert {"snapped", "begged", "quipped", "bragged", "slammed", "said", "went"} <= SPEECH_FORMS
    assert not {"snaped", "beged", "agreing", "finded"} & SPEECH_FORMS
    assert not {"gone", "begun", "found"} & SPEECH_FORMS  # "has gone", "found that": not words reported


def test_a_quote_after_snapped_is_attributed() -> None:
    quotes = read("\u201cGet out of my office,\u201d snapped the mayor, Ruth Kellaway.").quotes
    assert [(q.speaker, q.rule.partition("/")[0]) for q in quotes] == [("Ruth Kellaway", "verb_after")]


@pytest.mark.parametrize("style", styles())
def test_a_quoted_title_that_does_the_verb_is_no_one_s_words(style: str) -> None:
    """Not the last speaker's next words, though it opens a paragraph after theirs."""
    text = ("“We will sing it every night,” Ms Sarah Whitfield said.\n\n"
            "“Harbour Lights (Forty Boats)” was written by a fisherman after the flood.")
    assert found(read_styled(text, style)) == [("We will sing it every night,", "Sarah Whitfield"),
                                               ("Harbour Lights (Forty Boats)", None)]


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str]):
    """A parse given by hand, so that a rule is tested on the parse it is about."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab
    return Doc(Vocab(), words=words, heads=heads, deps=deps, tags=tags)


def test_a_subject_behind_a_preposition_is_a_misparse_not_the_speaker() -> None:
    """'…," Okafor said Thursday on HTV's "Tide Talk."': the parser took the show for the
    subject of "said"; a subject after the verb with a preposition between is not one."""
    from newsreader.nlp.quotes import _subject

    doc = _parsed(["Okafor", "said", "Thursday", "on", "HTV", "Tide", "Talk"],
                  [1, 1, 1, 1, 5, 3, 1], ["dep", "ROOT", "npadvmod", "prep", "compound", "pobj", "nsubj"],
                  ["NNP", "VBD", "NNP", "IN", "NNP", "NNP", "NNP"])
    assert _subject(doc[1]) is None
    doc = _parsed(["said", "Ms", "Whitfield"], [0, 2, 0], ["ROOT", "compound", "nsubj"], ["VBD", "NNP", "NNP"])
    assert _subject(doc[0]) == doc[2]


@pytest.mark.parametrize("style", styles())
def test_the_verb_s_own_subject_not_one_the_parser_found_inside_the_quote(style: str) -> None:
    text = ("Daniel Okafor on Wednesday called on Ben Tully to apologize to Sarah Whitfield for "
            "accusing her of being a smuggler.\n\n"
            "“My reaction, that was outrageous,” Whitfield's former campaign strategist said in an "
            "interview with HTV’s Anna Berg.")
    [quote] = read_styled(text, style).quotes
    assert quote.mention is not None and quote.mention.text == "Whitfield's former campaign strategist"
    assert quote.speaker == "Daniel Okafor"


@pytest.mark.parametrize("style", styles())
def test_words_quoted_in_a_described_subject_s_sentence_are_the_named_one_s(style: str) -> None:
    text = ("Another critic, Laurence Pennington, likened the levy to “burning the harbour charter” "
            "- a charge that might have stung.")
    assert found(read_styled(text, style)) == [("burning the harbour charter", "Laurence Pennington")]


def test_the_person_shown_saying_is_the_speaker() -> None:
    """'The ad uses footage of X asking, "…"': the one the footage shows asks, not the ad."""
    text = ("The ad uses footage of Hillary Fenner asking, \u201cWhy aren\u2019t I 50 points ahead, "
            "you might ask?\u201d")
    assert [q.speaker for q in read(text).quotes] == ["Hillary Fenner"]


@pytest.mark.parametrize("text", [
    ("Ms Lena Park turned over the laptop she used while helping sort Mayor Ellery's "
     "\u201charbour-related\u201d emails."),
    ("He made the criticism while showing support for Lena Park's \u201cport option\u201d, "
     "which would let traders buy berths."),
], ids=["modifier", "possessed"])
def test_a_quoted_term_in_the_narrative_is_no_one_s_words(text: str) -> None:
    """A short quoted phrase that is part of a noun phrase of the sentence marks a term:
    it stays a quote (the attribution around it is kept) but no one is its speaker."""
    [quote] = read("Mr Tom Ellery runs the harbour board. " + text).quotes
    assert quote.speaker is None and quote.mention is not None and quote.rule.endswith("/term")


@pytest.mark.parametrize("text, speaker", [
    ("Mr Tom Ellery called the council's \u201creckless, dangerous\u201d plans a disgrace.", "Tom Ellery"),
    ("Mr Tom Ellery said the board was sorting \u201charbour-related\u201d emails.", "Tom Ellery"),
    ("Mr Tom Ellery described the levy as \u201ca disgrace\u201d on Monday.", "Tom Ellery"),
], ids=["naming-verb", "reported-clause", "as"])
def test_a_term_inside_reported_words_is_the_speaker_s(text: str, speaker: str) -> None:
    assert [q.speaker for q in read(text).quotes] == [speaker]


def test_according_to_in_the_next_sentence_is_that_sentence_s_source() -> None:
    """'… the videos "without delay." Park plans to visit on Sunday, according to an aide':
    the aide is the source of the plan, not of the words Park wrote."""
    text = ("Lena Park weighed in on Twitter, saying that harbour officials should release the videos "
            "\u201cwithout delay.\u201d Park plans to visit Pellow on Sunday, according to a campaign aide.")
    assert [q.speaker for q in read(text).quotes] == ["Lena Park"]


def test_an_entity_run_over_a_clause_is_not_a_name() -> None:
    """The model may tag 'Fenner accused Holt of being a' as one work of art after a quote;
    the speaker is the subject, not that run of words."""
    text = 'Bemoaning the "phony system," Fenner accused Holt of being a Democrat, though records show otherwise.'
    [quote] = read(text).quotes
    assert quote.mention is not None and quote.mention.text == "Fenner"


def test_a_new_sentence_that_points_back_keeps_its_according_to() -> None:
    """'"…." That's according to Lena Park': "that" is the quote, so she is its source."""
    text = "\u201cWe have seen a surge in cases.\u201d That's according to Lena Park, the county health officer."
    assert [q.speaker for q in read(text).quotes] == ["Lena Park"]


def test_a_speech_verb_with_when_and_where_still_introduces_the_quote() -> None:
    """'footage of Trump saying during the debate last week, "…," when Clinton blasted
    him': the saying brings the quote in, not the verb after it."""
    text = ("The spot ends with footage of Dale Harwick saying during the debate last week, "
            "\u201cThat makes me smart,\u201d when Nora Pell blasted him for it.")
    assert [(q.text, q.speaker) for q in read(text).quotes] == [("That makes me smart,", "Dale Harwick")]


def test_a_verb_in_a_clause_inside_the_report_does_not_introduce_the_quote() -> None:
    """'Rubio said that once the Senate goes on recess, "…"': the one who said it, not
    the Senate, whose going is part of what was said."""
    text = ("By contrast, Sen. Marco Rubio said that once the Senate goes on recess, "
            "\u201cI intend to do as much as I can, wherever I can be helpful.\u201d")
    assert [q.speaker for q in read(text).quotes] == ["Marco Rubio"]


def test_a_participle_after_an_aside_between_dashes_is_the_main_clauses() -> None:
    """'Protesters looped the streets around the stadium - where the Carolina Panthers
    played the Vikings - while chanting, "…"': the protesters chant, not the Panthers."""
    text = ("Small groups of protesters looped the streets around the stadium - where the Carolina "
            "Panthers played the Minnesota Vikings - while chanting, \"Hands up, don't shoot.\"")
    assert [(q.speaker, q.mention.text if q.mention else None) for q in read(text).quotes] == \
        [(None, "Small groups of protesters")]


def test_chants_of_a_crowd_are_no_ones_named() -> None:
    """'greeted with chants of "Bobby!" …, according to Doris Crouse-Mays': she reports
    the chant (the mention), the crowd chanted it (no named speaker)."""
    text = ("The governor was greeted with chants of \"Bobby!\" at a labor conference last month, "
            "according to state AFL-CIO President Doris Crouse-Mays.")
    assert [(q.speaker, q.mention.text if q.mention else None) for q in read(text).quotes] == \
        [(None, "President Doris Crouse-Mays")]


def test_a_paper_named_in_marks_before_its_verb_is_a_title() -> None:
    """'as "The Wall Street Journal" wrote, it shows …': the paper's name, which the
    parser took for the object of "as", is no one's words."""
    text = ("I have to ask you, because as \u201cThe Wall Street Journal\u201d wrote, it shows "
            "that voters worry about his temperament.")
    assert [(q.text, q.speaker, q.rule) for q in read(text).quotes] == [("The Wall Street Journal", None, "title/none")]


def test_a_work_named_once_is_a_title_further_on() -> None:
    """'her documentary "13th."' then 'Angela Davis talks about prisons in "13th."': the
    film both times, not Davis's words."""
    text = ("The director makes this clear in her new documentary \u201c13th.\u201d\n\n"
            "Activist Angela Davis talks to the director about mass incarceration in \u201c13th.\u201d")
    assert [(q.speaker, q.rule.endswith("/term")) for q in read(text).quotes] == [(None, True)]
