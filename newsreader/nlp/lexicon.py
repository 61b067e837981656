"""Small closed word classes of English news writing that the annotators rely on.

These are grammar, not gazetteers: the verbs that report speech (their inflected
forms come from the lemminflect package), the titles that stand before names, the
pronouns, the nouns of organisations, documents and groups. Open classes (names,
places) come from the model, the first-name lists and the gazetteer packages.
"""
from __future__ import annotations

# Verbs that introduce someone's words or thoughts.
SPEECH_VERBS = """
say tell add state explain warn insist claim argue note write tweet post ask reply
respond answer declare announce acknowledge admit suggest describe predict recall
continue conclude concede complain urge stress emphasise emphasize observe remark report
comment maintain assert contend agree confirm deny vow promise pledge caution joke quip
muse laugh shout cry scream whisper exclaim hope believe think feel fear worry wonder
indicate testify plead allege charge accuse criticise criticize praise boast brag lament
demand blast slam tout dub label brand proclaim recount reveal disclose counter retort
reiterate repeat mention signal hint speculate estimate affirm advise propose offer
recommend remind point put read sing call speak begin go fret sigh snap chide scoff mock
rail rave reason implore beg interject interrupt thunder gush marvel rule find chant
hail bark yell holler growl roar mutter murmur sneer tease grumble stammer gasp
""".split()



# Forms that tell of other things than words: "has gone", "had begun" (but "he went,
# '…'", "began: '…'"), and "found that" (but "the court finds '…'").
NOT_REPORTING_TAGS = {"go": {"VBN"}, "begin": {"VBN"}, "find": {"VBD", "VBN"}}


def _forms(base: str) -> set[str]:
    """Every inflection of a verb (says, said, saying; snaps, snapped, snapping), from
    the lemminflect morphology package rather than spelling rules."""
    from lemminflect import getAllInflections

    skip = NOT_REPORTING_TAGS.get(base, set())
    forms = {f for tag, tag_forms in getAllInflections(base, upos="VERB").items() if tag not in skip
             for f in tag_forms}
    if not forms:
        raise ValueError(f"lemminflect knows no verb {base!r}")
    return forms | {base}


SPEECH_FORMS: frozenset[str] = frozenset(f for v in SPEECH_VERBS for f in _forms(v))
SAY_FORMS: frozenset[str] = frozenset(_forms("say") | _forms("tell") | _forms("add"))

# Words that stand before a name and are not part of it.
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "gen", "general", "col", "colonel", "capt", "captain", "lt", "sgt", "sergeant", "adm",
    "admiral", "maj", "major", "cmdr", "commander", "officer", "detective", "inspector",
    "president", "vice", "prime", "minister", "secretary", "senator", "sen", "rep",
    "representative", "congressman", "congresswoman", "gov", "governor", "mayor", "judge",
    "justice", "chancellor", "king", "queen", "prince", "princess", "pope", "rev",
    "reverend", "father", "sister", "brother", "rabbi", "imam", "sheikh", "coach",
    "councillor", "councilman", "councilwoman", "chairman", "chairwoman", "chair", "chief",
    "attorney", "ambassador", "foreign", "defence", "defense", "state", "home", "health",
    "deputy", "assistant", "former", "acting", "interim", "first", "us", "u.s.", "uk",
    "democratic", "republican", "democrat", "labour", "conservative", "candidate", "nominee",
    "leader", "speaker", "director", "superintendent", "sheriff", "premier", "supt", "insp",
    "det", "cpl", "pc", "dc", "ds", "di", "dci", "cllr", "hon", "amb", "gov.", "sen.", "rep.",
}
MALE_TITLES = {"mr", "sir", "lord", "king", "prince", "father", "brother", "congressman",
               "councilman", "chairman"}
FEMALE_TITLES = {"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister",
                 "congresswoman", "councilwoman", "chairwoman"}

MALE_PRONOUNS = {"he", "him", "his", "himself"}
# A possessive stands for whom its pronoun would ("his claim": he, "their letter": they).
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it", "our": "we"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
GROUP_PRONOUNS = {"they", "them", "it", "we"}
PERSONAL_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS | GROUP_PRONOUNS | {"i", "you", "who"}

# Head nouns of organisations and groups that speak ("the ministry said").
ORG_HEADS = {
    "ministry", "department", "office", "agency", "government", "administration", "company",
    "firm", "club", "party", "council", "committee", "commission", "authority", "board",
    "bank", "university", "school", "college", "service", "police", "court", "league",
    "union", "group", "campaign", "team", "organisation", "organization", "foundation",
    "institute", "association", "federation", "army", "military", "embassy", "church",
    "charity", "trust", "network", "newspaper", "station", "hospital", "senate", "house",
    "congress", "parliament", "cabinet", "coalition", "alliance", "centre", "center",
    "corporation", "inc", "ltd", "spokesman", "spokeswoman", "spokesperson", "secretariat",
    "regime", "prosecutors", "officials", "authorities", "investigators", "researchers",
    "analysts", "experts", "lawyers", "attorneys", "judges", "organisers", "organizers",
    "scientists",
}

# A word right before quoted words that makes them a name or a term, not speech.
NAMING_CUES = {
    "so-called", "dubbed", "titled", "entitled", "nicknamed", "termed", "hashtag",
    "headlined", "called", "named", "codenamed", "slogan", "motto",
}
# Offices held over a body: "the leader of the party, Rachid Ghannouchi," names the leader.
OFFICES = {"leader", "head", "chief", "chairman", "chairwoman", "chair", "president", "director",
           "secretary", "spokesman", "spokeswoman", "spokesperson", "founder", "minister", "governor",
           "mayor", "ceo", "commander", "editor", "owner", "manager", "coach", "captain", "general"}
# Texts that carry their owner's words: "Hoff's letter makes the case: '…'".
WORD_CARRIERS = {"letter", "statement", "tweet", "post", "email", "e-mail", "memo", "message", "release",
                 "ad", "advert", "video", "speech", "remarks", "testimony", "op-ed", "column", "essay",
                 "book", "memoir", "report", "website", "blog", "note", "answer", "response", "reply"}
# Nouns of saying: words inside "accusations that they wage 'profane' attacks" are the accuser's.
SPEECH_NOUNS = {
    "accusation", "accusations", "allegation", "allegations", "claim", "claims", "charge", "charges",
    "comment", "comments", "criticism", "reference", "references", "remark", "warning", "warnings",
    "promise", "promises", "pledge", "argument", "assertion", "description", "complaint", "complaints",
}
# Verbs that give a thing a name or a label: the quoted label is their subject's word,
# even inside what someone else reports ('Trump said Clinton described the pact as "the
# gold standard"').
NAMING_VERB_FORMS: frozenset[str] = frozenset(
    f for v in ("call", "describe", "dub", "label", "term", "brand", "nickname") for f in _forms(v))
# Nouns that hold someone's words, whoever reports them ("Trump's claim that there have
# been 'thousands of shootings'").
CLAIM_NOUNS = SPEECH_NOUNS | {"statement", "statements", "remarks", "prediction", "predictions", "boast"}
# Nouns for works and terms: 'the report "Rivers in Retreat"', 'the word "sorry"'.
# Nouns of a crowd's voice: in 'chants of "…"', 'cries of "…"' the words are the crowd's.
CROWD_NOUNS = {"chant", "chants", "chanting", "cry", "cries", "shout", "shouts", "chorus", "roar", "roars"}

WORK_NOUNS = {
    "song", "book", "film", "movie", "album", "show", "series", "programme", "program",
    "documentary", "play", "novel", "poem", "article", "column", "essay", "report",
    "operation", "project", "term", "phrase", "word", "words", "slogan", "motto", "title",
    "headline", "hashtag", "campaign", "initiative", "policy", "plan", "bill", "act",
    "nickname", "moniker",
}

# Writings that speak for their owner ("the report said", "FBI notes say"): they
# resolve to whoever made them, never to the last person named.
DOCUMENTS = {
    "report", "reports", "letter", "book", "memoir", "article", "story", "ruling", "opinion",
    "decision", "order", "judgment", "statement", "memo", "memorandum", "notes", "note", "ad",
    "advert", "advertisement", "commercial", "clip", "spot", "video", "complaint", "filing",
    "lawsuit", "suit", "indictment", "survey", "poll", "study", "analysis", "review", "audit",
    "document", "documents", "website", "site", "editorial", "release", "tweet", "post", "email",
    "e-mail", "transcript", "bill", "proposal", "plan", "petition", "message", "summary", "guidance",
    "bylaws", "rules", "charter", "constitution", "findings", "paper", "brief", "motion",
    "comment", "comments", "remark", "remarks",
}
# Writings of one kind, which a story names by one word and then another ("Mariano wrote
# a memoir … the book said", "The ad also mentions … The clip says").
DOCUMENT_KINDS = (
    frozenset({"book", "memoir", "novel"}),
    frozenset({"ad", "advert", "advertisement", "commercial", "clip", "spot", "video"}),
    frozenset({"ruling", "opinion", "decision", "judgment", "order"}),
    frozenset({"report", "study", "analysis", "review", "audit", "findings", "paper"}),
    frozenset({"letter", "memo", "memorandum", "note", "notes", "message", "email", "e-mail"}),
    frozenset({"statement", "release"}),
    frozenset({"lawsuit", "suit", "complaint", "filing", "motion", "brief", "petition"}),
    frozenset({"poll", "survey"}),
)
# The verb a writing is named from: "The appeals court ruled … said the ruling".
_MADE_BY = {"ruling": "rule", "decision": "decide", "judgment": "judge", "order": "order",
            "report": "report", "study": "study", "review": "review", "audit": "audit",
            "statement": "state", "filing": "file", "complaint": "complain", "petition": "petition",
            "poll": "poll", "survey": "survey", "tweet": "tweet", "post": "post", "proposal": "propose"}
MADE_BY_FORMS: dict[str, frozenset[str]] = {noun: frozenset(_forms(verb)) for noun, verb in _MADE_BY.items()}
# People spoken of as a group: whoever they are, no one is named ("Scott's family said").
GROUP_NOUNS = {"family", "staff", "camp", "entourage", "crowd", "audience", "relatives", "friends",
               "supporters", "allies", "aides", "advisers", "advisors", "critics", "opponents",
               "neighbours", "neighbors", "parents", "children", "colleagues", "fans", "voters"}
# Who stands for an organisation: "officials at Homeland Security Investigations said".
ENVOYS = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative",
          "representatives", "official", "officials"}
# Nouns that say the sex of the person they describe ("the 34-year-old mother of three").
MALE_NOUNS = {"man", "father", "husband", "son", "brother", "grandfather", "uncle", "nephew",
              "boyfriend", "businessman", "congressman", "chairman", "spokesman", "actor", "king",
              "prince", "gentleman", "boy", "dad"}
FEMALE_NOUNS = {"woman", "mother", "wife", "daughter", "sister", "grandmother", "aunt", "niece",
                "girlfriend", "businesswoman", "congresswoman", "chairwoman", "spokeswoman",
                "actress", "queen", "princess", "lady", "girl", "mom", "mum"}
# An organisation named by its kind ("the newspaper", "the network") is the one of that
# kind named before: words that mark a name as of that kind.
ORG_KINDS = {
    "newspaper": {"times", "post", "journal", "herald", "tribune", "gazette", "telegraph", "guardian",
                  "observer", "chronicle", "independent", "mail", "express", "star", "sun", "daily",
                  "globe", "examiner", "inquirer", "register", "courier", "record"},
    "paper": {"times", "post", "journal", "herald", "tribune", "gazette", "telegraph", "guardian",
              "chronicle", "mail", "daily", "globe", "inquirer"},
    "network": {"cnn", "nbc", "abc", "cbs", "fox", "msnbc", "bbc", "pbs", "npr", "cnbc", "news",
                "television", "tv", "broadcasting", "channel", "network", "al", "rt", "sky", "itv"},
    "broadcaster": {"bbc", "cnn", "nbc", "abc", "cbs", "fox", "pbs", "npr", "broadcasting", "television",
                    "tv", "channel", "itv", "sky", "rt"},
    "channel": {"channel", "tv", "television", "news", "network"},
    "station": {"tv", "radio", "fm", "news", "channel"},
    "agency": {"agency", "administration", "bureau", "service", "department", "office", "commission",
               "investigations", "authority", "fbi", "cia", "nsa", "epa", "fda", "irs", "dhs", "ice",
               "reuters", "press", "afp", "ap", "xinhua", "tass", "interfax"},
    "union": {"union", "association", "federation", "workers", "brotherhood", "teamsters", "congress",
              "afl-cio", "guild", "confederation"},
    "company": {"inc", "corp", "corporation", "co", "company", "ltd", "llc", "plc", "group", "holdings",
                "industries", "motors", "airlines", "bank", "energy", "oil", "technologies", "systems"},
    "firm": {"inc", "corp", "corporation", "co", "company", "ltd", "llc", "plc", "group", "partners",
             "associates", "llp", "capital"},
    "bank": {"bank", "banco", "sachs", "chase", "citigroup", "barclays", "hsbc", "fargo"},
    "group": {"group", "coalition", "alliance", "committee", "foundation", "association", "network",
              "council", "movement", "watch", "project", "center", "centre", "institute", "fund"},
    "court": {"court", "tribunal", "circuit"},
    "campaign": {"campaign", "committee"},
    "party": {"party"},
    "ministry": {"ministry", "department", "office"},
    "department": {"department", "ministry", "office"},
    "police": {"police", "constabulary", "sheriff", "department", "pd"},
    "university": {"university", "college", "institute", "school"},
    "club": {"club", "fc", "united", "city"},
}

# Verbs whose object is the one spoken to ("told radio host Rusty Humphries").
ADDRESSING_FORMS: frozenset[str] = frozenset(
    f for v in ("tell", "ask", "assure", "remind", "warn", "urge", "inform", "interview", "brief", "question")
    for f in _forms(v))
