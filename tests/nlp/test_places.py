"""The places panel: aliases merged, nationalities and clubs left out, misread names
corrected, datelines read, and every mention located in the text."""
from __future__ import annotations

import pytest
from paths import FIXTURES

from newsreader.model import Place
from newsreader.nlp.places import find_places, gazetteer, key


def places_of(nlp, text: str) -> tuple[dict[str, Place], list[tuple[int, int, str, str]], str]:
    doc = nlp(text)
    places, mentions = find_places(doc)
    return {p.name: p for p in places}, mentions, doc.text


def names(place: Place) -> set[str]:
    return {key(n) for n in (place.name, *place.aliases)}


def test_us_aliases_are_one_place(nlp):
    text = ("The United States warned on Monday that America would act alone. "
            "US officials said the decision was final.")
    places, _, _ = places_of(nlp, text)
    assert list(places) == ["United States"]
    us = places["United States"]
    assert {"us", "america"} <= names(us)
    assert us.kind == "country"
    assert us.mentions == 3


def test_uk_aliases_are_one_place(nlp):
    text = "Britain has left the bloc. The UK government said the move was overdue."
    places, _, _ = places_of(nlp, text)
    assert list(places) == ["United Kingdom"]
    assert {"britain", "uk"} <= names(places["United Kingdom"])
    assert places["United Kingdom"].mentions == 2


def test_us_as_a_modifier_counts(nlp):
    places, mentions, text = places_of(nlp, "US officials met the delegation on Tuesday.")
    assert "United States" in places
    assert [text[s:e] for s, e, _, _ in mentions] == ["US"]


def test_nationalities_are_not_places(nlp):
    text = ("American diplomats and Syrian officials met in Geneva. "
            "The Iranian delegation stayed away.")
    places, _, _ = places_of(nlp, text)
    assert list(places) == ["Geneva"]


def test_village_of_x_is_a_place_even_when_tagged_as_a_person(nlp):
    text = "Rebels shelled the village of Khan Sheikhoun on Monday."
    doc = nlp(text)
    assert any(e.text == "Khan Sheikhoun" and e.label_ == "PERSON" for e in doc.ents)
    places, _ = find_places(doc)
    assert [(p.name, p.kind) for p in places] == [("Khan Sheikhoun", "city")]


def test_apposition_names_a_small_place(nlp):
    text = "The suspect, 55, of Addison, a village southwest of Ithaca, pleaded guilty."
    places, _, _ = places_of(nlp, text)
    assert "Addison" in places
    assert "Ithaca" in places


def test_misread_capital_in_locative_context(nlp):
    text = "Hundreds of Islamists assaulted the US Embassy in Tunis last year."
    doc = nlp(text)
    assert not any(e.text == "Tunis" and e.label_ in ("GPE", "LOC") for e in doc.ents)
    places, _ = find_places(doc)
    assert "Tunis" in {p.name for p in places}


def test_dateline_in_capitals_with_a_state_abbreviation(nlp):
    text = "BUFFALO, N.Y. — Hours before the game, the coach said his team was ready."
    places, mentions, doc_text = places_of(nlp, text)
    assert list(places) == ["Buffalo", "New York"]
    assert places["Buffalo"].kind == "city"
    assert places["New York"].kind == "state"
    assert "n y" in names(places["New York"]) or "ny" in names(places["New York"])
    assert [doc_text[s:e] for s, e, _, _ in mentions] == ["BUFFALO", "N.Y."]


def test_state_abbreviation_after_a_town(nlp):
    places, _, _ = places_of(nlp, "The event in Casper, Wyo., was cancelled on Thursday.")
    assert places["Wyoming"].kind == "state"
    assert "Casper" in places


def test_party_state_tags_are_left_out(nlp):
    places, _, _ = places_of(nlp, "Sen. Ben Sasse, R-Neb., called for hearings on the matter.")
    assert places == {}


def test_kinds(nlp):
    text = ("Leaders from France, Texas and Africa met in Nairobi, "
            "near the Gush Etzion settlement bloc in the West Bank.")
    places, _, _ = places_of(nlp, text)
    kinds = {n: p.kind for n, p in places.items()}
    assert kinds["France"] == "country"
    assert kinds["Texas"] == "state"
    assert kinds["Africa"] == "continent"
    assert kinds["Nairobi"] == "city"
    assert kinds["West Bank"] == "place"


def test_mentions_are_counted_and_possessives_trimmed(nlp):
    text = ("Russia's foreign ministry said Russia would respond. "
            "Officials in Moscow declined to comment, and Russia's allies were silent.")
    places, mentions, doc_text = places_of(nlp, text)
    assert places["Russia"].mentions == 3
    assert places["Moscow"].mentions == 1
    assert {doc_text[s:e] for s, e, n, _ in mentions if n == "Russia"} == {"Russia"}


def test_organisations_named_after_places_are_not_places(nlp):
    text = ("He studied at Sheffield University. Tottenham said in a statement that the "
            "manager would wear a Tottenham shirt on Friday.")
    doc = nlp(text)
    places, _ = find_places(doc)
    assert places == []


def test_clubs_named_after_cities_are_not_places(nlp):
    text = ("He has coached Real Madrid and Inter Milan. "
            "He won the league with Chelsea, Real Madrid and Manchester United.")
    doc = nlp(text)
    assert any(e.text == "Madrid" and e.label_ == "GPE" for e in doc.ents)
    places, _ = find_places(doc)
    assert places == []


def test_first_name_of_a_person_is_not_a_place(nlp):
    text = ("Michael Bloomberg spoke on Tuesday. Later, critics wrote to Bloomberg, "
            "who was campaigning in Nevada.")
    places, _, _ = places_of(nlp, text)
    assert list(places) == ["Nevada"]


def test_country_split_by_the_tagger_is_joined(nlp):
    places, mentions, text = places_of(nlp, "Today in Trinidad and Tobago, the demand for dollars grew.")
    assert list(places) == ["Trinidad and Tobago"]
    assert [text[s:e] for s, e, _, _ in mentions] == ["Trinidad and Tobago"]


def test_state_named_like_a_country_in_an_american_story(nlp):
    text = "Voters in Georgia went to the polls, while Ohio and Florida waited."
    places, _, _ = places_of(nlp, text)
    assert places["Georgia"].kind == "state"
    places, _, _ = places_of(nlp, "Tbilisi is the capital of Georgia, a country in the Caucasus.")
    assert places["Georgia"].kind == "country"


def test_panel_is_in_order_of_first_mention(nlp):
    text = "Officials flew from Berlin to Madrid, then back to Berlin via Paris."
    doc = nlp(text)
    places, _ = find_places(doc)
    assert [p.name for p in places] == ["Berlin", "Madrid", "Paris"]


@pytest.mark.parametrize("text", [
    "The United States and Britain urged Russia's leaders to act, the UK said.",
    "The US delegation left the Netherlands for the US capital.",
    "CAIRO — Gunmen opened fire on visitors at Tunisia's most renowned museum.",
    "More than 600,000 Israelis live in settlements in east Jerusalem and the West Bank.",
    "He was born in Lucca, Italy, and moved to New York City in 1990.",
    "Exports from the Netherlands rose, the officials in The Hague said.",
])
def test_mention_offsets_name_their_place(nlp, text):
    places, mentions, doc_text = places_of(nlp, text)
    assert mentions
    for start, end, name, label in mentions:
        assert 0 <= start < end <= len(doc_text)
        assert label in ("GPE", "LOC", "FAC")
        assert key(doc_text[start:end]) in names(places[name])
        if doc_text[start:end].lower().startswith("the "):
            assert key(doc_text[start:end]) in gazetteer().names  # "The Hague", no stray "the"
        assert not doc_text[start:end].endswith(("'s", "\u2019s"))
    assert sum(p.mentions for p in places.values()) == len(mentions)


def test_gazetteer_is_built_once():
    assert gazetteer() is gazetteer()
    gaz = gazetteer()
    assert gaz.lookup("the Russian Federation").name == "Russia"
    assert gaz.lookup("Syrian Arab Republic").name == "Syria"
    assert gaz.lookup("Iran").name == "Iran"
    assert gaz.lookup("South Korea").name == "South Korea"
    assert gaz.abbreviations["Calif."].name == "California"


def test_a_river_named_only_along_it_is_a_place(nlp):
    places, _, _ = places_of(nlp, "The council studied flood projects along the Rhine in Germany.")
    assert "Rhine" in places and "Germany" in places


def test_a_town_misread_as_an_organisation_after_towards(nlp):
    from spacy.tokens import Span

    doc = nlp("Hard walls on the river push water downstream towards Gloucester and the sea.")
    i = next(t.i for t in doc if t.text == "Gloucester")
    doc.ents = [Span(doc, i, i + 1, label="ORG")]  # as the model reads it in the demo article
    assert "Gloucester" in {p.name for p in find_places(doc)[0]}
    funded = nlp("The report was funded by Gloucester and the trust.")
    j = next(t.i for t in funded if t.text == "Gloucester")
    funded.ents = [Span(funded, j, j + 1, label="ORG")]
    assert find_places(funded)[0] == []  # an organisation elsewhere stays one


@pytest.mark.parametrize("text, not_a_place", [
    ("Sondland said he had relayed to the Ukrainian that aid to Ukraine might be freed.", "Ukrainian"),
    ("Ukraine was pressed to launch investigations, including into Burisma.", "Burisma"),
])
def test_people_families_and_companies_after_a_preposition_are_not_places(nlp, text, not_a_place):
    places, _, _ = places_of(nlp, text)
    assert not_a_place not in places


def test_a_family_named_after_a_person_is_not_a_place(nlp):
    from spacy.tokens import Span

    doc = nlp("Vice President Biden denied it. Vindman wrote about a trip into the Bidens.")
    i = next(t.i for t in doc if t.text == "Bidens")
    j = next(t.i for t in doc if t.text == "Biden")
    doc.ents = [Span(doc, j, j + 1, label="PERSON"), Span(doc, i, i + 1, label="GPE")]  # as the model may read it
    assert "Bidens" not in {p.name for p in find_places(doc)[0]}


# --- coordinates, countries and GeoNames ids -------------------------------------------

def place(nlp, text: str, name: str) -> Place:
    places, _, _ = places_of(nlp, text)
    return places[name]


def near(value: float | None, expected: float, within: float = 0.5) -> bool:
    return value is not None and abs(value - expected) <= within


def test_a_capital_has_its_point_country_and_geonameid(nlp):
    kabul = place(nlp, "Officials in Kabul said the talks would resume.", "Kabul")
    assert (kabul.kind, kabul.country, kabul.geonameid) == ("city", "AF", 1138958)
    assert near(kabul.lat, 34.53) and near(kabul.lon, 69.17)


def test_a_country_sits_at_its_capital(nlp):
    france = place(nlp, "France said on Monday that it would reopen its borders.", "France")
    assert (france.kind, france.country, france.geonameid) == ("country", "FR", 3017382)
    assert near(france.lat, 48.85) and near(france.lon, 2.35)  # Paris, not the centroid in the Loire


def test_a_city_is_the_one_in_the_country_the_article_names(nlp):
    text = ("Flood defences in Worcester will cost £48m, the council said. "
            "Towns across the United Kingdom are competing for the money.")
    worcester = place(nlp, text, "Worcester")
    assert worcester.country == "GB"  # not Worcester, Massachusetts, which has more people
    assert near(worcester.lat, 52.19) and near(worcester.lon, -2.22)


def test_a_district_has_its_country_and_point(nlp):
    logar = place(nlp, "The helicopter crashed in Logar province south of the capital Kabul.", "Logar")
    assert (logar.kind, logar.country) == ("region", "AF")
    assert near(logar.lat, 34.07) and near(logar.lon, 69.16)


def test_a_us_state_has_its_point_and_geonameid(nlp):
    texas = place(nlp, "Voters in Texas went to the polls on Tuesday.", "Texas")
    assert (texas.kind, texas.country, texas.geonameid) == ("state", "US", 4736286)
    assert near(texas.lat, 31.3, 1.0) and near(texas.lon, -98.5, 1.0)


def test_a_continent_has_a_point_and_no_country(nlp):
    africa = place(nlp, "Leaders from across Africa met in Nairobi.", "Africa")
    assert (africa.kind, africa.country, africa.geonameid) == ("continent", None, 6255146)
    assert africa.lat is not None and africa.lon is not None


@pytest.mark.parametrize("text, country, lat", [
    ("The storm hit Paris, a town in Lamar County, on Sunday. Texas officials said the damage "
     "in Paris was severe.", "US", 33.66),
    ("The storm hit Paris on Sunday. France said the damage in Paris was severe, "
     "and Texas sent its condolences.", "FR", 48.85),
    ("The museum in Paris reopened on Sunday.", "FR", 48.85),
])
def test_an_ambiguous_city_is_decided_by_the_places_named_nearby(nlp, text, country, lat):
    paris = place(nlp, text, "Paris")
    assert paris.country == country and near(paris.lat, lat)


def test_towns_of_a_story_do_not_vouch_for_each_others_default_reading(nlp):
    # Both names have a bigger namesake in Massachusetts; the story names the country.
    text = ("The river Severn burst its banks in Worcester, a city of 100,000 people, on Monday. Downstream, "
            "shelters opened in Gloucester, and the United Kingdom's Environment Agency warned "
            "of more rain. The Severn is the longest river in Britain.")
    worcester, gloucester = place(nlp, text, "Worcester"), place(nlp, text, "Gloucester")
    assert (worcester.country, gloucester.country) == ("GB", "GB")
    assert near(worcester.lat, 52.19) and near(gloucester.lat, 51.86)


def test_a_town_followed_by_its_state_is_the_town_in_that_state(nlp):
    paris = place(nlp, "He grew up in Paris, Texas, and moved to Dallas.", "Paris")
    assert paris.country == "US" and near(paris.lat, 33.66)
    places, _, _ = places_of(nlp, "He lives in Addison, New York, a village near Ithaca.")
    assert places["Addison"].lat is None  # the Addisons the gazetteer has are in Illinois and Texas
    assert places["New York"].kind == "state"


def test_places_the_gazetteer_lacks_have_no_coordinates(nlp):
    teme = place(nlp, "The River Teme burst its banks upstream of the town.", "River Teme")
    assert (teme.lat, teme.lon, teme.country, teme.geonameid) == (None, None, None, None)


def test_coordinates_round_trip_through_json(nlp):
    from newsreader.export.jsonfmt import from_dict, to_dict
    from newsreader.pipeline import annotate, clean
    from newsreader.samples import demo_page

    reading = annotate(clean(demo_page()))
    again = from_dict(to_dict(reading))
    assert again.places == reading.places
    assert any(p.lat is not None and p.geonameid is not None for p in again.places)


# --- kinds decided by context ----------------------------------------------------------

@pytest.mark.parametrize("text, kind, country_lat", [
    ("The state of Washington has sworn in its first Native American justice. Washington's "
     "highest court now has nine members.", "state", 47.3),
    ("A rabbi based in Olympia, Washington, said the appointment was overdue.", "state", 47.3),
    ("Washington state has sued the company.", "state", 47.3),
    ("Lawmakers in Washington passed the bill on Friday.", "city", 38.9),
])
def test_washington_the_state_or_the_city(nlp, text, kind, country_lat):
    washington = place(nlp, text, "Washington")
    assert washington.kind == kind and near(washington.lat, country_lat)


@pytest.mark.parametrize("text, kind", [
    ("Turnout in New York municipal elections is low; he was mayor of New York for 12 years.", "city"),
    ("Farmers in upstate New York have lost their crops.", "state"),
    ("He lives in Addison, New York, a village near Ithaca.", "state"),
])
def test_new_york_the_city_or_the_state(nlp, text, kind):
    places, _, _ = places_of(nlp, text)
    new_york = next(p for p in places.values() if "new york" in names(p))
    assert new_york.kind == kind


def test_a_country_keeps_its_name_beside_its_neighbour(nlp):
    text = "Beijing said China would send troops to Hong Kong, where protests went on."
    assert place(nlp, text, "Hong Kong").kind == "country"  # not a region of China


# --- subdivisions, misread names, rivers -----------------------------------------------

@pytest.mark.parametrize("text, name, country", [
    ("It condemned the illegal occupation by Russia of Crimea.", "Crimea", "UA"),
    ("Scotland will add Madeira and the Azores to the list of destinations.", "Madeira", "PT"),
    ("Scotland will add Madeira and the Azores to the list of destinations.", "Azores", "PT"),
])
def test_subdivisions_by_their_english_names(nlp, text, name, country):
    found = place(nlp, text, name)
    assert (found.kind, found.country) == ("region", country)


def test_a_list_of_islands_is_one_place_without_trailing_spaces(nlp):
    text = "Turkey, Poland and the Caribbean islands of Bonaire, St Eustatius and Saba were removed."
    places, _, _ = places_of(nlp, text)
    assert "Saba" not in places
    bq = next(p for p in places.values() if p.country == "BQ")
    assert bq.name == bq.name.strip() and "bonaire, saint eustatius and saba" in names(bq)
    assert all(e.name == e.name.strip() for e in gazetteer().names.values())


def test_a_name_misread_as_a_person_is_a_place_where_the_article_places_it(nlp):
    from spacy.tokens import Span

    doc = nlp("WORCESTER — The river rose to five metres in Worcester. The minister is due to "
              "visit Worcester next month.")
    spans = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text == "Worcester"]
    doc.ents = spans  # as the model reads it in the demo article
    places, mentions = find_places(doc)
    assert [p.name for p in places] == ["Worcester"]
    assert places[0].mentions == 3


def test_a_person_named_like_a_town_stays_a_person(nlp):
    from spacy.tokens import Span

    doc = nlp("Warren said she would stay in the race. Voters in Iowa liked Warren.")
    doc.ents = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text == "Warren"] + [
        Span(doc, t.i, t.i + 1, label="GPE") for t in doc if t.text == "Iowa"]
    assert [p.name for p in find_places(doc)[0]] == ["Iowa"]


def test_a_district_misread_as_an_organisation_after_its_village(nlp):
    from spacy.tokens import Span

    doc = nlp("It crashed in Logar province. The Taliban hit a position in Sarkh, Logar, on Monday.")
    i = [t.i for t in doc if t.text == "Logar"][1]
    j = next(t.i for t in doc if t.text == "Logar")
    doc.ents = [Span(doc, j, j + 2, label="GPE"), Span(doc, i, i + 1, label="ORG")]
    places, mentions = find_places(doc)
    assert [(p.name, p.mentions) for p in places] == [("Logar", 2)]


def test_a_well_known_city_the_tagger_left_untagged(nlp):
    doc = nlp("The counselor was having lunch with the ambassador in Kyiv when he called.")
    doc.ents = []  # as the model reads it in a news page
    assert [p.name for p in find_places(doc)[0]] == ["Kyiv"]


def test_residents_of_a_place_the_gazetteer_lacks(nlp):
    text = "Margaret Pryce, a Diglis resident for 31 years, said the wall ran from Diglis to the city centre."
    places, _, _ = places_of(nlp, text)
    assert "Diglis" in places


def test_rivers_named_as_rivers_and_again_by_their_bare_name(nlp):
    text = ("The Severn rose in Worcester and the Teme burst its banks. A plan to protect homes "
            "along the River Severn was agreed. Restore the meadows along the Teme, she said.")
    places, mentions, doc_text = places_of(nlp, text)
    severn = next(p for p in places.values() if "severn" in names(p))
    teme = places["Teme"]
    assert severn.kind == "river" and "river severn" in names(severn)
    assert teme.mentions == 2 and severn.mentions == 2
    assert teme.lat is None


def test_waters_misread_as_organisations(nlp):
    from spacy.tokens import Span

    doc = nlp("Hard walls push water downstream towards Gloucester and the Bristol Channel.")
    i = next(t.i for t in doc if t.text == "Bristol")
    doc.ents = [Span(doc, i, i + 2, label="ORG")]
    assert "Bristol Channel" in {p.name for p in find_places(doc)[0]}


def test_a_beat_is_not_a_place(nlp):
    places, _, _ = places_of(nlp, "The BBC's North America editor Jon Sopel said the president was angry.")
    assert "North America" not in places


# --- the text and the panel agree ------------------------------------------------------

def test_every_place_marked_in_the_text_is_in_the_panel():
    from newsreader.model import Article
    from newsreader.nlp.annotator import annotate

    text = ("Volker said he saw the investigations into Burisma and into the Bidens as separate. "
            "It condemned the illegal occupation by Russia of Crimea.\n\n"
            "The political counselor was having lunch with Sondland in Kyiv when he called.")
    reading = annotate(Article("t", None, None, None, None, text))
    panel = {p.name for p in reading.places}
    marked = [e for e in reading.entities if e.label in ("GPE", "LOC", "FAC")]
    assert {e.ref for e in marked} == panel
    assert "Crimea" in panel and not {"Burisma", "Bidens"} & panel
    spans = [(e.start, e.end) for e in reading.entities]
    assert len(spans) == len(set(spans))  # no mention marked twice (as an organisation and a place)


def test_the_demo_places_match_the_gold():
    import json

    from newsreader.pipeline import annotate, clean
    from newsreader.samples import demo_page

    gold = json.loads((FIXTURES / "demo_gold.json").read_text(encoding="utf-8"))
    reading = annotate(clean(demo_page()))
    found = [names(p) for p in reading.places]
    expected = [{key(n) for n in (g["name"], *g["aliases"])} for g in gold["places"]]
    assert len(found) == len(expected)
    for g in expected:
        assert sum(1 for f in found if f & g) == 1, g


def test_a_list_of_cities_is_not_a_town_and_its_region(nlp):
    places, _, _ = places_of(nlp, "Officials flew from Paris, Madrid and Rome to Berlin.")
    assert [(p.name, p.kind, p.country) for p in places.values()] == [
        ("Paris", "city", "FR"), ("Madrid", "city", "ES"), ("Rome", "city", "IT"), ("Berlin", "city", "DE")]


def test_a_region_named_after_its_landforms(nlp):
    places, _, _ = places_of(nlp, "They spent the weekend in the Lake District before driving to the County.")
    assert "Lake District" in places and "County" not in places


def test_washington_dc_is_the_capital_once_beside_the_state(nlp):
    """"Washington, D.C." is the capital named with its own abbreviation (not a town of
    that name inside the place "D.C." stands for), and "D.C." is the capital too, not
    Washington, Utah; with the state, the panel has two Washingtons."""
    doc = nlp("Voters in Washington state back the measure, while Washington, D.C. waits. Washington is quiet.")
    panel = find_places(doc)[0]
    assert sorted((p.name, p.kind, round(p.lat or 0)) for p in panel) == [
        ("Washington", "city", 39), ("Washington", "state", 47)]
