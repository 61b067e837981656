"""Speakers: mentions ("he", "Gen Ellery", "the ministry") resolved to one canonical
name per person or organisation, with aliases, kind and the quotes each one said.

All people, organisations and places here are invented.
"""
from __future__ import annotations

import pytest
from annotation_support import found, read

from newsreader.model import Reading, Speaker


def speaker(reading: Reading, name: str) -> Speaker:
    matches = [s for s in reading.speakers if s.name == name]
    assert len(matches) == 1, [s.name for s in reading.speakers]
    return matches[0]


# -- pronouns ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    ("Mr David Harrow met Ms Sarah Whitfield at the boatyard on Monday.\n\n"
    "\u201cWe will not sell,\u201d she said.\n\n"
    "\u201cThen we will go to court,\u201d he replied."),
    ("Ms Sarah Whitfield met Mr David Harrow at the boatyard on Monday.\n\n"
    "\u201cThen we will go to court,\u201d he said.\n\n"
    "\u201cWe will not sell,\u201d she replied."),
], ids=["man-named-first", "woman-named-first"])
def test_pronoun_goes_to_the_person_of_its_gender(text: str) -> None:
    said = dict(found(read(text)))
    assert said == {"We will not sell,": "Sarah Whitfield", "Then we will go to court,": "David Harrow"}


def test_pronoun_goes_to_the_subject_the_story_is_about() -> None:
    text = ("Ms Sarah Whitfield met Mr David Harrow on Monday. She has run the ferry for "
            "twenty years. \u201cThe harbour is not safe,\u201d she said.")
    assert found(read(text)) == [("The harbour is not safe,", "Sarah Whitfield")]


def test_gender_learned_from_a_pronoun_sticks() -> None:
    # no titles: the first "she" after a lone woman teaches the resolver her gender
    text = ("Sarah Whitfield runs the ferry. \u201cThe harbour is not safe,\u201d she said.\n\n"
            "David Harrow, the harbour master, disagreed. \u201cIt has never been safer,\u201d he said.\n\n"
            "\u201cWe will see about that,\u201d she said.")
    assert [q.speaker for q in read(text).quotes] == ["Sarah Whitfield", "David Harrow", "Sarah Whitfield"]


@pytest.mark.parametrize("text", [
    ("Mr David Harrow and Ms Sarah Whitfield met at the boatyard on Monday. "
    "\u201cWe will not sell,\u201d she said. \u201cThen we will go to court,\u201d he said."),
    ("Mr David Harrow met Ms Sarah Whitfield on Monday. "
    "\u201cThe harbour is not safe,\u201d Whitfield said. \u201cWe will see,\u201d Harrow said."),
], ids=["pronouns", "surnames"])
def test_alternating_speakers_in_one_paragraph(text: str) -> None:
    assert [q.speaker for q in read(text).quotes] == ["Sarah Whitfield", "David Harrow"]


# -- titles, surnames and descriptions --------------------------------------------------

def test_title_and_surname_resolve_to_the_full_name() -> None:
    text = ("General Robert Ellery commands the northern garrison. Gen Ellery said: "
            "\u201cThe border is quiet.\u201d\n\n"
            "\u201cWe expect no trouble this winter,\u201d Ellery added.\n\n"
            "\u201cThe roads are open again,\u201d the general said.")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == ["Robert Ellery"] * 3
    assert [q.mention.text for q in reading.quotes if q.mention] == ["Gen Ellery", "Ellery", "the general"]
    [ellery] = reading.speakers
    assert ellery.name == "Robert Ellery" and ellery.kind == "person"
    assert ellery.quotes == (0, 1, 2)
    assert "Ellery" in ellery.aliases


def test_speaker_named_by_surname_before_the_full_name_is_known_later() -> None:
    text = ("Mr David Harrow, the harbour master, met Ms Sarah Whitfield on Monday.\n\n"
            "\u201cThe harbour is safe,\u201d Mr Harrow said.\n\n"
            "\u201cThe harbour is not safe,\u201d Ms Whitfield said.")
    reading = read(text)
    assert found(reading) == [("The harbour is safe,", "David Harrow"),
                              ("The harbour is not safe,", "Sarah Whitfield")]
    assert {"Mr Harrow", "Harrow"} <= set(speaker(reading, "David Harrow").aliases)
    assert {"Ms Whitfield", "Whitfield"} <= set(speaker(reading, "Sarah Whitfield").aliases)


def test_title_tells_apart_two_people_with_one_surname() -> None:
    text = ("Mr David Harrow runs the boatyard with his daughter, Ms Claire Harrow.\n\n"
            "\u201cWe will never sell,\u201d Mr Harrow said.\n\n"
            "\u201cMy father built every slipway here,\u201d Ms Harrow said.")
    assert [q.speaker for q in read(text).quotes] == ["David Harrow", "Claire Harrow"]


def test_personal_title_makes_a_person() -> None:
    text = ("The so-called \u201charbour tax\u201d has angered traders. "
            "Ms Petra Lindqvist said: \u201cNobody voted for this.\u201d")
    reading = read(text)
    assert [(s.name, s.kind) for s in reading.speakers] == [("Petra Lindqvist", "person")]


# -- organisations ------------------------------------------------------------------

def test_organisation_speaks_under_its_fullest_name() -> None:
    text = ("The Ruritanian Ministry of Fisheries announced new quotas on Tuesday. "
            "\u201cStocks are recovering,\u201d the ministry said.\n\n"
            "The Ministry of Fisheries said later: \u201cThe quotas will be reviewed in spring.\u201d")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == ["Ruritanian Ministry of Fisheries"] * 2
    assert [q.mention.text for q in reading.quotes if q.mention] == ["the ministry", "The Ministry of Fisheries"]
    [ministry] = reading.speakers
    assert ministry.kind == "organisation" and ministry.quotes == (0, 1)
    assert "Ministry of Fisheries" in ministry.aliases


@pytest.mark.parametrize("text", [
    "Dunmere Council has closed the library. The council said: \u201cThe building is unsafe.\u201d",
    "Dunmere Council has closed the library. \u201cThe building is unsafe,\u201d it said.",
], ids=["the-council", "it"])
def test_organisation_by_its_head_noun_or_it(text: str) -> None:
    reading = read(text)
    assert found(reading) == [(reading.quotes[0].text, "Dunmere Council")]
    assert [s.kind for s in reading.speakers] == ["organisation"]


SPOKESPEOPLE = {
    "after-the-quote": (
        "The Halvard Shipping Company denied the claims on Monday.\n\n"
        "\u201cThe ships were fully inspected,\u201d a spokesperson for the Halvard Shipping Company said."),
    "said-a-spokeswoman": "\u201cThe ships were fully inspected,\u201d said a spokeswoman for Halvard Shipping.",
    "the-company": (
        "The Halvard Shipping Company denied the claims on Monday.\n\n"
        "\u201cThe ships were fully inspected,\u201d a spokeswoman for the company said."),
}


@pytest.mark.parametrize("text", SPOKESPEOPLE.values(), ids=SPOKESPEOPLE.keys())
def test_spokesperson_for_an_organisation_is_the_organisation(text: str) -> None:
    reading = read(text)
    [company] = reading.speakers
    assert company.name.startswith("Halvard Shipping") and company.kind == "organisation"
    assert reading.quotes[0].speaker == company.name
    assert "spokes" in reading.quotes[0].mention.text  # the mention stays as written


def test_spokesperson_phrase_never_becomes_the_name() -> None:
    text = ("The Halvard Shipping Company denied the claims. "
            "\u201cThe ships were fully inspected,\u201d a spokesperson for Halvard Shipping said.")
    reading = read(text)
    assert [(s.name, s.kind) for s in reading.speakers] == [("Halvard Shipping Company", "organisation")]
    assert all("spokes" not in a for a in reading.speakers[0].aliases)


# -- the speakers list as a whole -----------------------------------------------------

STORY = (
    "The Ruritanian Ministry of Fisheries announced new quotas on Tuesday.\n\n"
    "Mr David Harrow, who chairs the fishermen\u2019s cooperative, was furious. "
    "\u201cThese quotas will ruin us,\u201d he said.\n\n"
    "\u201cStocks are recovering,\u201d the ministry said in a statement. "
    "\u201cThe quotas will be reviewed in spring.\u201d\n\n"
    "Ms Claire Dunmore, a marine biologist at Carnbrea University, agreed with the ministry. "
    "\u201cThe data is clear,\u201d she said.\n\n"
    "\u201cWe cannot fish our way out of this,\u201d Dunmore added.\n\n"
    "\u201cNobody asked us,\u201d said Mr Harrow."
)


def test_speakers_list_has_one_entry_per_speaker() -> None:
    reading = read(STORY)
    assert [(s.name, s.kind, s.quotes) for s in reading.speakers] == [
        ("David Harrow", "person", (0, 5)),
        ("Ruritanian Ministry of Fisheries", "organisation", (1, 2)),
        ("Claire Dunmore", "person", (3, 4)),
    ]
    aliases = {s.name: set(s.aliases) for s in reading.speakers}
    assert {"Mr Harrow", "Harrow"} <= aliases["David Harrow"]
    assert "Dunmore" in aliases["Claire Dunmore"]
    for s in reading.speakers:
        assert s.name not in s.aliases and len(set(s.aliases)) == len(s.aliases)


def test_speakers_and_quotes_agree() -> None:
    reading = read(STORY)
    for s in reading.speakers:
        assert s.quotes == tuple(i for i, q in enumerate(reading.quotes) if q.speaker == s.name)
    assert {q.speaker for q in reading.quotes} == {s.name for s in reading.speakers}


def test_entities_link_to_their_speaker() -> None:
    reading = read(STORY)
    refs = {e.text: e.ref for e in reading.entities if e.label == "PERSON"}
    assert refs.get("David Harrow") == "David Harrow"
    assert refs.get("Claire Dunmore") == "Claire Dunmore"
    assert refs.get("Dunmore") == "Claire Dunmore"


def test_they_goes_to_the_organisation_even_when_it_was_named_first() -> None:
    text = ("Greenpeace criticised the harbour plan on Monday, and Mr John Smith agreed with the group.\n\n"
            "\u201cThe plan will poison the bay,\u201d they said.")
    assert [q.speaker for q in read(text).quotes] == ["Greenpeace"]


def test_he_is_the_main_subject_not_someone_in_a_subordinate_clause() -> None:
    text = ("“We had hoped the prison service would fix its failures,” said Mr Dale Figg, the union lawyer.\n\n"
            "Figg declined to say whether the guard slept on the night Ronald Ebsworth died. "
            "“When all the evidence is in,” he said, “you will see what was going on.”")
    assert [q.speaker for q in read(text).quotes] == ["Dale Figg"] * 3


def test_a_pronoun_after_a_name_in_its_sentence_tells_the_gender() -> None:
    text = ("Tom Reed runs the employers’ group. Jo Grady said her members were angry. "
            "“We have worked with the unions for years,” he said.")
    assert [q.speaker for q in read(text).quotes] == ["Tom Reed"]


def test_a_country_ending_an_office_is_not_part_of_the_name() -> None:
    text = ("Another diplomat, former special envoy to Ukraine Kurt Volker, changed his account.\n\n"
            "“I did not know others were conveying a different message,” Volker said.")
    (speaker,) = read(text).speakers
    assert (speaker.name, speaker.kind) == ("Kurt Volker", "person")


def test_a_lone_surname_that_says_the_words_is_a_person() -> None:
    """'“…,” Schwartzman said' where the model tagged the name as a common noun and no entity."""
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from newsreader.nlp.speakers import PERSON, Resolver

    words = ["\u201c", "Fine", ",", "\u201d", "Schwartzman", "said", "."]
    tags = ["``", "JJ", ",", "''", "NN", "VBD", "."]
    heads = [5, 5, 5, 5, 5, 5, 5]
    deps = ["punct", "ccomp", "punct", "punct", "nsubj", "ROOT", "punct"]
    doc = Doc(English().vocab, words=words, tags=tags, heads=heads, deps=deps)
    resolver = Resolver(doc)
    idx, rule = resolver.resolve(doc[4:5])
    assert idx is not None and rule == "surname_word"
    assert (resolver.clusters[idx].name, resolver.clusters[idx].kind) == ("Schwartzman", PERSON)
    assert resolver.resolve(doc[4:5]) == (idx, "surname_word")  # the same person the next time


# -- entity-level resolution ------------------------------------------------------

def test_a_first_name_says_the_gender_and_keeps_a_title_from_the_wrong_person() -> None:
    text = ("Gerald Okafor and his wife, Michelle Okafor, opened the bakery in 1998.\n\n"
            "\u201cWe never thought it would last,\u201d Mr. Okafor said.")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == ["Gerald Okafor"]
    assert (speaker(reading, "Gerald Okafor").gender, speaker(reading, "Gerald Okafor").gender_source) \
        == ("male", "name")


def test_a_bare_surname_is_the_principal_not_the_relative_named_last() -> None:
    text = ("Senator Ted Brannock spoke in Denver on Monday.\n\n"
            "A rival campaign mocked a photograph of Heidi Brannock.\n\n"
            "\u201cI am not in the habit of supporting people who attack my wife,\u201d Brannock said.")
    assert [q.speaker for q in read(text).quotes] == ["Ted Brannock"]


def test_a_name_in_someone_elses_quoted_words_is_not_the_canonical_name() -> None:
    text = ("Hillary Clarkwell spoke in Ohio on Friday.\n\n"
            "\u201cWorking that crowd was harder than working Crooked Hillary Clarkwell,\u201d his rival said.\n\n"
            "\u201cWe will win Ohio,\u201d Clarkwell said.")
    names = {q.speaker for q in read(text).quotes if q.speaker}
    assert "Hillary Clarkwell" in names and not any("Crooked" in n for n in names)


def test_a_role_before_a_given_name_is_not_part_of_the_name() -> None:
    text = "Spokeswoman Jessica Dittmer said via email: \u201cOf course we will defend ourselves.\u201d"
    assert [q.speaker for q in read(text).quotes] == ["Jessica Dittmer"]


def test_an_unnamed_source_stays_unnamed() -> None:
    text = ("Professor Alan Verity chairs the senate.\n\n"
            "One vice-chancellor, who asked not to be named, said: \u201cThe cuts will close whole departments.\u201d\n\n"
            "Several Democrats said the plan was \u201ca disgrace to the state.\u201d")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == [None, None]
    assert reading.quotes[0].mention is not None and "vice-chancellor" in reading.quotes[0].mention.text


def test_a_document_speaks_for_its_maker() -> None:
    text = ("The Daily Clarion published an article about the mayor on Monday.\n\n"
            "\u201cThe mayor has erased much of the city\u2019s debt,\u201d the article read.")
    assert [q.speaker for q in read(text).quotes] == ["Daily Clarion"]


def test_a_document_with_no_maker_is_not_the_last_person_named() -> None:
    text = ("Mayor Tom Pellew opened the new bridge on Monday.\n\n"
            "\u201cThe bridge was built without a proper survey,\u201d the report said.")
    assert [q.speaker for q in read(text).quotes] == [None]


def test_the_newspaper_is_the_newspaper_named_before() -> None:
    text = ("The Rockport Herald reported the closure on Tuesday.\n\n"
            "\u201cThe plant will shut by June,\u201d the newspaper said.")
    assert [q.speaker for q in read(text).quotes] == ["Rockport Herald"]


def test_a_pronoun_after_a_newcomer_introduced_with_a_role_is_the_newcomer() -> None:
    text = ("Mark Danner praised the mayor at the rally on Saturday.\n\n"
            "The silence worries Henry Crespo, president of the Miami Black Caucus.\n\n"
            "\u201cNo one is writing songs for her,\u201d he said.")
    assert [q.speaker for q in read(text).quotes] == ["Henry Crespo"]


def test_every_quote_has_a_rule_and_a_confidence() -> None:
    from newsreader.nlp.quotes import FINDING_RULES
    from newsreader.nlp.speakers import RESOLUTION_RULES

    text = ("Mr David Harrow runs the boatyard.\n\n"
            "\u201cWe will never sell,\u201d he said. \u201cNever.\u201d\n\n"
            "\u201cThe river is rising,\u201d Mr Harrow said.")
    findings = {r.__name__ for r in FINDING_RULES} | {
        "governed", "split", "same_sentence", "same_paragraph", "continued", "next_paragraph",
        "paragraph_after_next", "subject_before", "ahead", "title", "none"}
    for q in read(text).quotes:
        finding, _, resolution = q.rule.partition("/")
        assert finding in findings and resolution in {*RESOLUTION_RULES, "unresolved", "term", "none"}
        assert 0.0 < q.confidence < 1.0 and q.corrected is False


def test_a_man_is_not_the_woman_who_shares_his_surname() -> None:
    """A man known by title and surname only is not merged into a woman of that surname
    named in full later, nor given her first name."""
    text = ("President Okafor spoke at the harbour on Saturday. "
            "\u201cThe port is on the ballot,\u201d Mr. Okafor said.\n\n"
            "He will campaign with his wife, Grace Okafor, in the coming weeks.\n\n"
            "\u201cWe will be there every day,\u201d Mr. Okafor added.")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == ["Okafor", "Okafor"]


def test_relative_pronoun_is_the_noun_it_follows() -> None:
    """'they turned to the Dunmere Police Department which reported "…"', in the parse the
    model gave a page like it: "reported" hung on "turned", so "which" is the mention."""
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    from newsreader.nlp.speakers import Resolver

    doc = Doc(Vocab(), words=["They", "turned", "to", "the", "Dunmere", "Police", "Department", "which",
                              "reported", "figures", "."],
              heads=[1, 1, 1, 6, 6, 6, 2, 8, 1, 8, 1],
              deps=["nsubj", "ROOT", "prep", "det", "compound", "compound", "pobj", "nsubj", "advcl", "dobj",
                    "punct"],
              tags=["PRP", "VBD", "IN", "DT", "NNP", "NNP", "NNP", "WDT", "VBD", "NNS", "."])
    doc.ents = [Span(doc, 4, 7, label="ORG")]
    resolver = Resolver(doc)
    idx, rule = resolver.resolve(doc[7:8])
    assert idx is not None and (resolver.clusters[idx].name, rule) == ("Dunmere Police Department", "relative_pronoun")


def test_organisation_names_lose_the_words_before_them_and_stay_apart() -> None:
    """"the federal Maritime Safety Board" is the Maritime Safety Board; "Harbour Safety
    Investigations" is not the "Department of Harbour Safety" for sharing two words."""
    text = ("The Department of Harbour Safety opened an inquiry on Monday. "
            "\u201cThe channel is closed,\u201d the Department of Harbour Safety said.\n\n"
            "Officials at Harbour Safety Investigations, a division of the department, said "
            "\u201cthe pilots had been warned.\u201d\n\n"
            "The federal Maritime Safety Board said: \u201cWe will publish our findings.\u201d")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == [
        "Department of Harbour Safety", "Harbour Safety Investigations", "Maritime Safety Board"]


def test_she_is_the_one_woman_the_sentence_before_names() -> None:
    """Not the last subject two paragraphs up ("said Lena Park"), but the only person
    who fits in the sentence that leads to the quote."""
    text = ("The levy would hit single parents hardest, said Lena Park, an economist at the "
            "harbour institute.\n\n"
            "It has become a major issue in the race, with Sarah Whitfield — who has called for "
            "higher port fees — lambasting Daniel Okafor's plan.\n\n"
            "\u201cThe kind of plan that Daniel has put forth would sink the harbour,\u201d she said.")
    assert [q.speaker for q in read(text).quotes] == ["Sarah Whitfield"]


def test_a_threat_is_the_caller_s_not_the_woman_he_threatened() -> None:
    """"Whitfield is one of the first two women elected" says she is a woman, so "he"
    after it is not her; "called Whitfield a 'smuggler'" is his words (the parser hung
    "called" on the noun before it)."""
    text = ("Daniel Okafor, 55, faces up to 10 years in prison. He allegedly called in threats "
            "to Whitfield's office.\n\n"
            "He was arrested in April for the call to the offices of Whitfield.\n\n"
            "During the call, he asked about the Harbour Brotherhood, called Whitfield a "
            "\u201csmuggler\u201d and said, \u201csomebody ought to sink her boat,\u201d the "
            "prosecutor\u2019s office said. Whitfield is one of the first two women elected to "
            "the harbour board.\n\n"
            "The clerk who took the call recalled that he said, \u201cI'll sink her boat.\u201d")
    reading = read(text)
    assert [q.speaker for q in reading.quotes] == ["Daniel Okafor"] * 3
    assert [s.name for s in reading.speakers] == ["Daniel Okafor"]


def test_a_qualified_role_is_the_one_described_so() -> None:
    """"the Harbour Party nominee" is Okafor, not the nearer Whitfield, whom the story
    described as the Coast Party's nominee for deputy."""
    text = ("Harbour Party nominee Daniel Okafor spoke in Dunmere on Monday. Coast Party deputy "
            "nominee Sarah Whitfield spoke in Portlow.\n\n"
            "The Harbour Party nominee also vowed to punish \u201cthose who break the port rules.\u201d")
    assert [q.speaker for q in read(text).quotes] == ["Daniel Okafor"]


def test_an_office_said_of_a_person_does_not_give_their_sex() -> None:
    """"Okafor is chairman" says nothing of whether Okafor is a man; "one of the first
    women" does (test_a_threat_is_the_caller_s_not_the_woman_he_threatened)."""
    text = "Adaeze Okafor is chairman of the harbour board.\n\n\u201cWe will vote on Monday,\u201d she said."
    assert [q.speaker for q in read(text).quotes] == ["Adaeze Okafor"]


def test_a_country_is_not_a_surname_of_a_person_before() -> None:
    """"South Korea" is a country (the gazetteer knows it), not the person the headline's "N. Korea" was taken for."""
    text = ("Leaders denounce N. Korea test.\n\n"
            "South Korea accused the North's leader of \u201cfanatic recklessness.\u201d")
    assert [q.speaker for q in read(text).quotes] == ["South Korea"]


def test_a_kin_noun_in_apposition_gives_the_sex() -> None:
    """"Zorika Okafor, the mayor's eldest daughter," says she is a woman, though her first
    name is in no list."""
    reading = read("Zorika Okafor, the mayor's eldest daughter, spoke on Monday: \u201cThe port must stay open.\u201d")
    assert (speaker(reading, "Zorika Okafor").gender, speaker(reading, "Zorika Okafor").gender_source) \
        == ("female", "title")


def test_they_after_two_people_named_together_is_the_first_of_them() -> None:
    """A joint letter of two senators is credited to the first named, not to the
    organisation last mentioned (here "Pellow", which the model takes for one)."""
    text = ("Critics of the levy, like Senators Charles E. Fenner, Republican of Pellow, and "
            "Patrick J. Brenn, Democrat of Dunmere, see the vote as a chance to fix it. They sent a "
            "letter on Thursday to harbour leaders opposing the levy. \"The levy has become plagued "
            "by fraud,\" they wrote.")
    assert [q.speaker for q in read(text).quotes] == ["Charles E. Fenner"]


def test_a_one_word_country_may_still_be_a_surname() -> None:
    """Only a country of several words ("South Korea") is kept from being a surname:
    "Israel" here is Rep. Steve Israel."""
    text = ("Rep. Steve Israel leads the caucus.\n\n"
            "\u201cWe will win the harbour back,\u201d Israel told reporters.")
    assert [q.speaker for q in read(text).quotes] == ["Steve Israel"]


def test_a_name_before_a_verb_taken_for_a_noun_is_the_subject() -> None:
    """The parser reads "Scott bristles" as a noun phrase; Scott is still the one the new
    paragraph is about, so "he said" after it is his, not the last speaker's."""
    text = ("Bobby Scott is the favourite of the harbour unions.\n\n"
            "\"He has never had to raise money,\" said Quentin Marlow, a historian at Dunmere College. "
            "\"There is an uncertainty whether he can.\"\n\n"
            "Scott bristles at the suggestion he will not be ready. \"I have raised all I needed "
            "to win,\" he said.")
    assert [q.speaker for q in read(text).quotes][-1] == "Bobby Scott"


def test_a_nickname_in_quotes_is_part_of_one_persons_name() -> None:
    """'Robert C. "Bobby" Harlan' is one person (the model splits the name at the quotation
    marks), and "Bobby Harlan" later is the same person."""
    text = ('Robert C. "Bobby" Harlan opened the harbour meeting on Monday. "We will rebuild the '
            'wall," Harlan said.\n\nBobby Harlan later told the crowd: "The council has the money."')
    reading = read(text)
    assert [s.name for s in reading.speakers] == ['Robert C. "Bobby" Harlan']
    assert [q.speaker for q in reading.quotes] == ['Robert C. "Bobby" Harlan'] * 2


def test_a_party_label_in_brackets_is_not_the_apposition() -> None:
    """'(D-Newport News)' names a party and a district, not the niece who spoke."""
    text = ('"This is a big year for our potential United States senator, Bobby Harlan!" Harlan\'s '
            'niece, state Del. Dana "Dee" Price (D-Newport News), shouted to the crowd.')
    assert [q.speaker for q in read(text).quotes] == ['Dana "Dee" Price']


def test_someones_doctor_after_a_time_stamp_is_someone_new() -> None:
    """In a live blog the entry before is another story: "Gary Marsh's doctor" there is an
    unnamed new person, not the one the blog was last about; right after a sentence about
    someone, "Obama's former strategist" is an epithet of that one."""
    blog = ("Donald Harrow told a rally in Ohio that the harbour plan was a disaster.\n\n"
            "5:45 p.m.\n\n"
            "Libertarian presidential candidate Gary Marsh's doctor is calling the candidate "
            "\u201cextremely physically fit.\u201d")
    assert [q.speaker for q in read(blog).quotes] == [None]
    epithet = ("David Penrose on Wednesday called on Howard Dane to apologise.\n\n"
               "\u201cMy reaction, that was outrageous,\u201d Obama's former campaign strategist said.")
    assert [q.speaker for q in read(epithet).quotes] == ["David Penrose"]


def test_a_name_set_beside_an_organisation_is_the_description_before_it() -> None:
    """The parser hangs "Martin B. Harlow" on "Lenox"; a person is not set beside an
    organisation, so he is the partner who speaks."""
    text = ("Lenox was a juggernaut in the 1980s. His former business partner at Lenox, Martin B. "
            "Harlow, called him a master at bolting together impossible business transactions. "
            "\"He showed again and again an ability to put together deals that other people could not.\"")
    assert [q.speaker for q in read(text).quotes] == ["Martin B. Harlow"]


def _said(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in read(text).quotes]


def test_a_writing_speaks_for_whoever_made_it_under_another_word() -> None:
    """'the ruling' after 'the court ruled', 'the book' after 'wrote a memoir': the maker
    named there, not nobody."""
    court = ("The Varnish Court of Appeals ruled on Monday that the county's rolls broke the law.\n\n"
             "\u201cA county cannot purge voters for staying at home,\u201d the ruling said.")
    assert _said(court)[-1][1] == "Varnish Court of Appeals"
    book = ("Dr. Helen Marrow wrote a memoir of her years at the clinic.\n\n"
            "\u201cThe patients came first, always,\u201d the book said.")
    assert _said(book)[-1][1] == "Helen Marrow"


def test_words_in_someones_claim_are_theirs_whoever_reports_the_claim() -> None:
    """'Redfern fact-checked Osmund's claim that there were "…"': Osmund's words; the verdict
    after it ('is "true,"') is the checker's."""
    text = ("Redfern Check ruled on Tuesday that Mayor Ella Osmund's claim that there were "
            "\u201cthousands of new jobs\u201d in the city is \u201ctrue,\u201d its editors said.")
    said = dict(_said(text))
    assert said["thousands of new jobs"] == "Ella Osmund"
    assert said["true,"] != "Ella Osmund"


def test_a_label_given_by_a_named_subject_is_theirs_inside_anothers_report() -> None:
    """'Tarrant said that Vell once described the pact as "the gold standard"': Vell's
    label. A label that is not the naming verb's object stays with the reporter."""
    text = ("Senator Ada Tarrant said on Friday that Governor Bram Vell once described the "
            "pact as \u201cthe gold standard\u201d of trade deals.")
    assert _said(text) == [("the gold standard", "Bram Vell")]


def test_people_described_but_not_named_are_nobody_named() -> None:
    """'attorneys for the family', 'Osmund supporters': no one the article names."""
    text = ("Attorneys for the family released the video on Friday. Osmund supporters gathered outside.\n\n"
            "Mayor Ella Osmund spoke later.\n\n"
            "They came away with \u201cmore questions than answers,\u201d attorneys for the family said. "
            "\u201cWe are with her,\u201d Osmund supporters said.")
    said = _said(text)
    assert [who for _, who in said] == [None, None]


def test_the_second_of_a_pair_of_terms_is_a_term_too() -> None:
    """'her "work-related" emails from her "personal messages."': neither is anyone's words."""
    text = ("The aide Ruth Pell was granted immunity for handing over the laptop she used while "
            "sorting the minister's \u201cwork-related\u201d emails from her \u201cpersonal messages.\u201d")
    assert [who for _, who in _said(text)] == [None, None]


def test_a_statement_someone_made_speaks_for_them() -> None:
    """'Osmund made a statement that described the plan as "…"': Osmund's words."""
    text = ("The council met on Monday. Mayor Ella Osmund made a statement that described the plan "
            "as \u201ca disgrace to the city.\u201d")
    assert _said(text) == [("a disgrace to the city.", "Ella Osmund")]


def test_he_in_a_clause_under_anothers_clause_is_that_clauses_subject() -> None:
    """'Tarrant said Vell was "right" when he said "…"': "he" is Vell, not the reporter."""
    text = ("Senator Tom Tarrant said on Thursday that Governor Bram Vell was \u201cabsolutely right\u201d "
            "when he said on Wednesday night that under the old council, \u201cthe harbour has been left to rot.\u201d")
    assert _said(text)[-1] == ("the harbour has been left to rot.", "Bram Vell")


def test_the_one_told_or_asked_is_not_the_speaker() -> None:
    """'telling the crowd, "…"' is the teller's; 'was asked by host Ann Lode, "…"' the asker's."""
    told = ("Mayor Ella Osmund seemed ready to joke about the incident in Varnish, telling the crowd, "
            "\u201cSome people get a little carried away, have you noticed that?\u201d")
    assert _said(told)[0][1] == "Ella Osmund"
    asked = ("Osmund was asked by host Ann Lode, who is backing her, \u201cNow, you said in the debate "
             "that you were tired of hearing about the harbour.\u201d")
    assert _said(asked)[0][1] == "Ann Lode"



def test_a_split_quote_is_told_from_another_quote_of_the_paragraph() -> None:
    """A second quoted stretch of the same sentence shares its speaker by one rule, a
    quote in a later sentence of the paragraph by another, less sure."""
    text = ("Ruth Hallam said it was \u201cdistressing\u201d to see the scheme stall \u201ceven in the "
            "face of three floods.\u201d The council has met twice since the flood and the minutes "
            "show no vote on the scheme. \u201cWe will be back,\u201d")
    rules = [q.rule.partition("/")[0] for q in read(text).quotes]
    assert rules[1:] == ["same_sentence", "same_paragraph"]


def test_a_quote_paragraph_after_a_paragraph_about_someone_is_theirs() -> None:
    """'"…," Hallam said. ¶ Tulloch, the engineer, argued in a letter that the wall must
    rise. ¶ "…"': the one the narrative just brought in, not the last speaker."""
    text = ("\u201cThe river is rising,\u201d Ruth Hallam said.\n\n"
            "Graham Tulloch, the council's engineer, argued in a letter on Monday that the wall must rise.\n\n"
            "\u201cA metre is the least we can build.\u201d")
    assert [q.speaker for q in read(text).quotes] == ["Ruth Hallam", "Graham Tulloch"]


def test_a_person_named_by_a_first_name_alone_has_its_gender() -> None:
    """'Kevin was snoring' then 'she said': not Kevin, a man's name, but the woman before;
    a lone "Clinton" or "Warren" is a surname and says nothing."""
    text = ("Marla Quist sat down in front of the set.\n\n"
            "Kevin was snoring on the couch.\n\n"
            "\u201cHere he is, babe,\u201d she said.")
    assert _said(text)[-1] == ("Here he is, babe,", "Marla Quist")
    from newsreader.nlp.firstnames import gender_of_given_name
    assert (gender_of_given_name("Kevin"), gender_of_given_name("Melanie")) == ("m", "f")
    assert gender_of_given_name("Clinton") is None and gender_of_given_name("Warren") is None


def test_the_narration_of_an_excerpt_names_who_she_is_next() -> None:
    """A passage of another paper set off by a straight mark that nothing closes: the
    woman it names is the "she" of the next quote, not the reporter who wrote it."""
    text = ("The Post sent its \u201cstar\u201d reporter Dana Vortman to the rally. Vortman reports:\n\n"
            "\"Melanie thought the whole thing was outrageous. She was anxious, sure.\n\n"
            "\u201cIt never crossed my mind that I was losing it,\u201d she said after her release.")
    assert _said(text)[-1] == ("It never crossed my mind that I was losing it,", "Melanie")


def test_according_to_an_outlet_the_named_person_who_said_it_is_the_speaker() -> None:
    """'According to Yahoo News, spokesman Jesse Lehrich said that "…"': Lehrich's words,
    which the outlet reports; the mention stays the outlet the text gives as source."""
    text = ("According to the Daily Ledger, campaign spokesman Orrin Falk said Friday that "
            "if his candidate won, \u201cshe would sign this bill if it came to her desk.\u201d")
    r = read(text)
    assert [(q.speaker, q.mention.text if q.mention else None) for q in r.quotes] == [("Orrin Falk", "the Daily Ledger")]


def test_a_court_named_for_its_circuit_is_one_name() -> None:
    """'the U.S. Court of Appeals for the Sixth Circuit': the circuit is part of the
    court's name, not a second organisation."""
    text = ("The U.S. Court of Appeals for the Ninth Circuit ruled on Monday that the county broke the law.\n\n"
            "\u201cA county cannot purge voters for staying at home,\u201d the ruling said.")
    assert _said(text)[-1][1] == "U.S. Court of Appeals for the Ninth Circuit"
