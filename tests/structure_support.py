"""Pages with structure (headings, lists, a quotation, a standfirst) in several scripts,
written for the clean step's tests and the reader's snapshots."""
from __future__ import annotations

from newsreader.model import Page


def page_html(title: str, body: str, *, lang: str = "en", head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} - Example News</title>
<meta property="og:site_name" content="Example News">{head}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>{title}</h1>
{body}
</article></main>
<footer><p>Copyright © 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


def html(text: str, url: str = "https://news.example.org/a/story") -> Page:
    return Page(source=url, text=text, kind="html", url=url)


TOUR_DATES = ["12 March Berlin", "14 March Hamburg", "15 March Cologne", "18 March Munich",
              "20 March Vienna", "22 March Zurich"]
STEPS = ["Heat the oven to 180 degrees.", "Mix the flour and the sugar in a bowl.",
         "Bake the cake for forty minutes."]
LIST_PARAGRAPHS = [
    "The band announced a spring tour of six cities on Monday, its first since the pandemic, "
    "and said tickets would go on sale at the end of the week.",
    "The singer said the shows would draw on the new album and on songs the band had not played "
    "live for a decade, with a string section joining them in the larger halls.",
]


def list_reading():  # type: ignore[no-untyped-def]
    """The list page cleaned, with a standfirst, and no annotation: what the reader draws."""
    from dataclasses import replace

    from newsreader.clean import clean
    from newsreader.model import Reading

    article = clean(html(list_page().replace("</h1>", f'</h1><p class="deck">{DECK}</p>')
                         .replace("</title>", f'</title><meta name="description" content="{DECK}">')))
    return Reading(replace(article, byline="Jane Doe", date="2024-03-14"))


def list_page() -> str:
    items = "".join(f"<li>{d}</li>" for d in TOUR_DATES)
    steps = "".join(f"<li>{s}</li>" for s in STEPS)
    return page_html("Band announces a spring tour of six cities", f"""
<p>{LIST_PARAGRAPHS[0]}</p>
<h2>Tour dates</h2>
<ul>{items}</ul>
<p>{LIST_PARAGRAPHS[1]}</p>
<h2>The cake the band bakes on the road</h2>
<ol>{steps}</ol>
<blockquote><p>We have missed the stage more than we can say.</p></blockquote>
""")


JAPANESE = [  # the last is short, one "word" to a rule that counts spaces, and ends in 。
    "子どもへの虐待をなくすための法律ができて、親が子どもを教育するために体を叩くことが禁止されました。",
    "法律では、虐待をした親に専門家が子どもの育て方を教えることも決まりました。",
    "虐待したときに叱っていただけだと言う親がいます。新しい法律ではこれが認められません。",
    "来年の四月から始まります。",
]


def japanese_page() -> str:
    body = "".join(f"<p>{p}</p>" for p in JAPANESE)
    return page_html("子どもを叩くことを禁止する法律ができる", body, lang="ja")


GERMAN = [
    "Der Bundestag hat am Donnerstag ein neues Gesetz zum Schutz der Wälder beschlossen, das die "
    "Länder zu mehr Aufforstung verpflichtet.",
    "Die Ministerin sprach von einem wichtigen Schritt für den Klimaschutz und kündigte weitere "
    "Mittel für die Forstwirtschaft an.",
    "Was ändert sich für Waldbesitzer",
    "Wer einen Wald besitzt, muss künftig alle fünf Jahre einen Plan zur Pflege vorlegen und "
    "geschädigte Flächen innerhalb von drei Jahren neu bepflanzen.",
    "Mehr Fotos:",
    "Kritik kam von den Umweltverbänden, denen das Gesetz nicht weit genug geht.",
]


def german_page() -> str:
    body = "".join(f"<h2>{p}</h2>" if i == 2 else f"<p>{p}</p>" for i, p in enumerate(GERMAN))
    return page_html("Bundestag beschließt neues Waldgesetz", body, lang="de")


DECK = "The charity had planned to close the station and merge it with one twelve miles along the coast"


def standfirst_page() -> str:
    body = "".join(f"<p>{p}</p>" for p in LIST_PARAGRAPHS)
    meta = f'<meta name="description" content="{DECK}">'
    return page_html("Lifeboat station saved", f'<p class="standfirst">{DECK}</p>{body}', head=meta)


ONE_BLOCK = (
    "The lifeboat station at Porthallow will stay open after a year-long campaign by residents, its "
    "trustees said on Tuesday, ending months of uncertainty for the town's volunteer crew. The charity "
    "had proposed merging the station with one twelve miles along the coast, a plan that fishermen said "
    "would cost lives in winter, when an hour at sea can decide a rescue. More than four thousand people "
    "signed a petition, and the town council wrote to the charity twice. The trustees said the review "
    "had shown that the station answered more calls than any other on that stretch of coast."
)


def one_block_page() -> str:
    return page_html("Lifeboat station stays open", f"<div><p>{ONE_BLOCK}</p></div>")
