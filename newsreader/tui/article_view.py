"""The article body: a Line API widget that draws only the rows on screen.

A 100,000-word article is ~10,000 rows; building a widget per paragraph would make
opening and scrolling slow, so the whole text is wrapped once into rows that know
their character offsets (:mod:`newsreader.tui.layout`) and each visible row is
styled on demand and cached. Article text is never parsed as markup: rows are
``rich.text.Text`` built from plain strings with styles laid over offsets.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from rich.style import Style
from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Click, Resize
from textual.geometry import Offset, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from newsreader.model import Article, Reading
from newsreader.tui.layout import BLANK, BODY, META, NOTE, TITLE, Layout, build_layout, printable
from newsreader.tui.messages import ArticleClicked, StylesChanged

WORDS_PER_MINUTE = 230
LAYERS = ("quotes", "people", "organisations", "places")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_HEADER_STYLES = {META: "meta", NOTE: "note"}
# What is drawn, bottom to top, and the layer that shows or hides it.
_DRAWN = (("quotes", "quotes"), ("unsure", "quotes"), ("people", "people"),
          ("organisations", "organisations"), ("places", "places"))


def meta_line(article: Article) -> str:
    """``site · byline · date · N min read`` (the parts the article has)."""
    # The clean text has one space between words and a blank line between paragraphs, so
    # words are counted without splitting a long article into a hundred thousand strings.
    words = article.text.count(" ") + article.text.count("\n\n") + 1
    minutes = max(1, round(words / WORDS_PER_MINUTE))
    parts = [article.site, article.byline, article.date, f"{minutes} min read"]
    return " · ".join(p for p in parts if p)


def layer_spans(reading: Reading) -> dict[str, list[tuple[int, int]]]:
    """The spans each highlight layer colours: quotes, and entities by what they refer to.

    ``unsure`` holds the quotes whose attribution is uncertain, drawn dimmer over the
    quotes layer (and shown or hidden with it).
    """
    places = {p.name for p in reading.places}
    organisations = {s.name for s in reading.speakers if s.kind == "organisation"}
    spans: dict[str, list[tuple[int, int]]] = {layer: [] for layer in LAYERS}
    spans["quotes"] = [(q.start, q.end) for q in reading.quotes]
    spans["unsure"] = [(q.start, q.end) for q in reading.quotes if not q.sure]
    for entity in reading.entities:
        if entity.ref in places or entity.label in _PLACE_LABELS:
            layer = "places"
        elif entity.ref in organisations or entity.label == "ORG":
            layer = "organisations"
        elif entity.label == "PERSON":
            layer = "people"
        else:
            continue
        spans[layer].append((entity.start, entity.end))
    return spans


class SpanIndex:
    """Sorted spans with a quick answer to "which of them touch ``[start, end)``?"."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [s for s, _ in self._spans]
        self._longest = max((e - s for s, e in self._spans), default=0)

    def __len__(self) -> int:
        return len(self._spans)

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Spans that share at least one character with ``[start, end)``."""
        first = bisect_left(self._starts, start - self._longest)
        last = bisect_left(self._starts, end)
        for span_start, span_end in self._spans[first:last]:
            if span_end > start:
                yield span_start, span_end


class ArticleView(ScrollView, can_focus=True):
    """Scrollable, highlighted article text at a readable width."""

    COMPONENT_CLASSES = {
        "article--title",
        "article--standfirst",
        "article--meta",
        "article--note",
        "article--heading",
        "article--quotes",
        "article--unsure",
        "article--people",
        "article--organisations",
        "article--places",
        "article--match",
        "article--current",
    }

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="scroll_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="scroll_up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="bottom"),
    ]

    def __init__(self, measure: int = 80, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.measure = measure
        self.article: Article | None = None
        self.shown_layers: frozenset[str] = frozenset(LAYERS)
        self._title = self._meta = self._note = ""
        self._layout = build_layout("", [], measure)
        self._spans: dict[str, SpanIndex] = {}
        self._matches = SpanIndex(())
        self._current: tuple[int, int] | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}  # resolved once per theme: rich_style is not cheap

    # -- content -----------------------------------------------------------------

    @property
    def text_layout(self) -> Layout:
        """The current wrap of the article (rows and offsets)."""
        return self._layout

    def show_article(self, article: Article) -> None:
        """Show ``article`` without highlights (annotation may still be running)."""
        self.article = article
        self._title = printable(article.title or "Untitled")
        self._meta = printable(meta_line(article))
        note = article.language_note()
        self._note = printable(note[:1].upper() + note[1:] + ".") if note else ""
        self._spans, self._matches, self._current = {}, SpanIndex(()), None
        self._relayout(keep_place=False)
        self.scroll_to(y=0, animate=False)

    def show_reading(self, reading: Reading) -> None:
        """Lay the reading's highlights over the article (shown first if it is new)."""
        if self.article is not reading.article:
            self.show_article(reading.article)
        self._spans = {layer: SpanIndex(spans) for layer, spans in layer_spans(reading).items()}
        self._invalidate()

    def set_layers(self, layers: frozenset[str]) -> None:
        """Choose which highlight layers are drawn."""
        self.shown_layers = layers
        self._invalidate()

    def set_matches(self, spans: Iterable[tuple[int, int]]) -> None:
        """Highlight search matches (an empty iterable clears them)."""
        self._matches = SpanIndex(spans)
        self._invalidate()

    def set_current(self, span: tuple[int, int] | None) -> None:
        """Mark ``span`` as the current quote/mention/match and scroll it into view."""
        self._current = span
        self._invalidate()
        if span is not None:
            self.scroll_to_span(span)

    def scroll_to_span(self, span: tuple[int, int]) -> None:
        """Scroll so the whole span is visible, placing it a third down the screen if it moves
        (or at the top of the article, title and all, when it fits on the first screen)."""
        first, last = self._row_of(span[0]), self._row_of(max(span[0], span[1] - 1))
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if first >= top and last < top + height:
            return
        target = 0 if last < height else first - max(0, min(height // 3, height - (last - first) - 1))
        self.scroll_to(y=max(0, target), animate=False)

    def _row_of(self, offset: int) -> int:
        """The display row of a body offset, or of a title offset (below 0: see :meth:`title_offset`)."""
        if offset < 0:
            title = offset - self.title_offset()
            return next((row for row, (kind, start, end, *_) in enumerate(self._layout.lines)
                         if kind == TITLE and start <= title < max(end, start + 1)), 0)
        return self._layout.row_for_offset(offset)

    def shows(self, span: tuple[int, int]) -> bool:
        """Whether the start of ``span`` is on screen (once a scroll under way has ended)."""
        self._end_scrolling()
        return self._row_of(span[0]) in self.visible_rows()

    def _end_scrolling(self) -> None:
        """Jump to where a scroll still animating (``G``, ``space``) is going: what ``n``
        measures must be where the reader will be looking, not a frame on the way."""
        self.app.animator.force_stop_animation(self, "scroll_y")

    # Top, bottom and a page at a time jump at once, as in a pager: a key pressed next
    # (n, p) measures where the reader is looking, never a frame of a glide on its way.

    def action_scroll_home(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_end(animate=False, immediate=True)

    def action_page_down(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_page_up(animate=False)

    def title_offset(self) -> int:
        """Where the title's first character sits among the offsets ``n`` steps through:
        before the body's, so that a search finds the title first."""
        return -len(self._title) - 1

    @property
    def title_text(self) -> str:
        """The title as shown, when the article has one (search looks in it too)."""
        return self._title if self.article is not None and self.article.title else ""

    def visible_rows(self) -> range:
        """The display rows on screen now."""
        top = round(self.scroll_y)
        return range(top, min(len(self._layout.lines), top + self.scrollable_content_region.height))

    def top_offset(self) -> int:
        """The offset at the top of the screen: where ``n`` starts looking (the title's, at the top)."""
        top = round(self.scroll_y)
        if self._layout.body_rows and top < self._layout.body_rows[0]:
            return self.title_offset()
        return self._layout.offset_for_row(top)

    def step_anchor(self, forward: bool) -> int:
        """Where ``n`` (forward) and ``p`` start looking when the current span is off screen:
        the top of the screen (``n`` takes the first span at or below it, ``p`` the last one
        above it); at the end of the article, ``p`` takes the last span of all."""
        self._end_scrolling()
        at_end = self.visible_rows().stop >= len(self._layout.lines)
        if not forward and at_end and self.article is not None:
            return len(self.article.text) + 1
        return self.top_offset()

    def row_text(self, row: int) -> str:
        """The plain text shown at display ``row``, bullet and all (for tests and screen readers)."""
        line = self._layout.lines[row]
        return line.prefix + self._source(line.kind)[line.start:line.end]

    # -- layout ------------------------------------------------------------------

    def _column_width(self) -> int:
        available = self.scrollable_content_region.width
        if not available:  # not laid out yet: the measure is the likeliest width
            return self.measure
        return max(10, min(self.measure, available - 2))

    def _relayout(self, keep_place: bool = True) -> None:
        """Re-wrap the article to the current width, keeping the top row's text on screen."""
        if self.article is None:
            return
        # Not laid out yet, it wraps to the measure: on all but narrow terminals that is the
        # width the first resize gives, so the first frame already shows the article.
        anchor = self.top_offset() if keep_place and self.size.width else 0
        self._layout = build_layout(
            self.article.text, self.article.structure, self._column_width(), self._title, self._meta,
            standfirst=self.article.opens_with_standfirst, note=self._note,
        )
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._layout.lines))
        self._invalidate()
        if keep_place and anchor > 0:  # at the top (the title, or offset 0) it stays at the top
            self.scroll_to(y=self._layout.row_for_offset(anchor), animate=False)

    def on_resize(self, event: Resize) -> None:
        """Re-wrap when the width available to the column changes."""
        if self.article is not None and (self._column_width() != self._layout.width or not self._layout.lines):
            self._relayout()
        else:
            self.virtual_size = Size(self.scrollable_content_region.width, len(self._layout.lines))
            self._invalidate()

    # -- drawing -----------------------------------------------------------------

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """Theme or CSS changed: cached rows and styles carry old colours."""
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()
        self.post_message(StylesChanged())

    def layer_style(self, layer: str) -> Style:
        """The Rich style of a highlight layer (``quotes``, ``people``, ``match``…)."""
        if layer not in self._styles:
            self._styles[layer] = self.get_component_rich_style(f"article--{layer}")
        return self._styles[layer]

    @property
    def base_style(self) -> Style:
        """The view's own colours, under every row."""
        if "" not in self._styles:
            self._styles[""] = self.rich_style
        return self._styles[""]

    def _source(self, kind: int) -> str:
        if kind == BODY and self.article is not None:
            return self.article.text
        return {TITLE: self._title, META: self._meta, NOTE: self._note}.get(kind, "")

    def render_line(self, y: int) -> Strip:
        """Draw display row ``y`` of the screen (Line API).

        Each row's cells carry their place (column, row) for Textual's mouse selection.
        """
        row = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        strip = self._cache.get(row)
        if strip is None:
            strip = self._render_row(row, width).apply_offsets(0, row)
            self._cache[row] = strip
        return strip.crop_extend(0, width, self.base_style)

    # -- selection and clicks ----------------------------------------------------

    def _indent(self) -> int:
        """The blank columns left of the text column (it is centred in the view)."""
        return max(1, (self.scrollable_content_region.width - self._layout.width) // 2)

    def _shown(self, row: int) -> str:
        """Row ``row`` as drawn from the text column on: its prefix (a bullet…), then its text."""
        line = self._layout.lines[row]
        return "" if line.kind == BLANK else line.prefix + printable(self._source(line.kind)[line.start:line.end])

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under a mouse selection, as the article has it: rows of one paragraph
        join with the spaces the wrap took, paragraphs stay apart, and the margin is left out."""
        lines = self._layout.lines
        if not lines or self.article is None:
            return None
        start = selection.start or Offset(0, 0)
        end = selection.end or Offset(self._indent() + len(self._shown(len(lines) - 1)), len(lines) - 1)
        indent = self._indent()
        out: list[str] = []
        for row in range(start.y, min(end.y, len(lines) - 1) + 1):
            shown = self._shown(row)
            skip = len(lines[row].prefix)
            low = start.x - indent if row == start.y else 0
            high = end.x - indent if row == end.y else len(shown)
            if row > start.y and self._continues(row):
                out[-1] += self._gap(row) + shown[max(low, skip):max(high, skip)]
            else:
                out.append(shown[max(0, low):max(0, high)])
        return "\n".join(out), "\n"

    def _continues(self, row: int) -> bool:
        """Whether ``row`` carries on the paragraph of the row above it (a soft wrap)."""
        above, line = self._layout.lines[row - 1], self._layout.lines[row]
        return (line.kind == above.kind != BLANK and line.block == above.block
                and "\n" not in self._source(line.kind)[above.end:line.start])

    def _gap(self, row: int) -> str:
        above, line = self._layout.lines[row - 1], self._layout.lines[row]
        return self._source(line.kind)[above.end:line.start]

    def selection_updated(self, selection: Selection | None) -> None:
        """Redraw with the selection shown (rows are cached with their styles)."""
        self._invalidate()

    def offset_at(self, x: int, y: int) -> int | None:
        """The body offset under column ``x`` of screen row ``y`` of the view, if text is there."""
        row = round(self.scroll_y) + y
        if not 0 <= row < len(self._layout.lines) or self._layout.lines[row].kind != BODY:
            return None
        line = self._layout.lines[row]
        column = x - self._indent() - len(line.prefix)
        return line.start + column if 0 <= column < line.end - line.start else None

    def on_click(self, event: Click) -> None:
        """A click on the text says where: the screen makes a quote there current."""
        where = event.get_content_offset(self)
        offset = self.offset_at(where.x, where.y) if where is not None else None
        if offset is not None:
            self.post_message(ArticleClicked(offset))

    def _render_row(self, row: int, width: int) -> Strip:
        base = self.base_style
        if row >= len(self._layout.lines) or self._layout.lines[row].kind == BLANK:
            return Strip.blank(width, base)
        kind, start, end, block, prefix = self._layout.lines[row]
        text = Text(printable(self._source(kind)[start:end]), no_wrap=True, end="")
        text.stylize(base)  # as a span: Text.render ignores Text.style
        if kind == TITLE:
            text.stylize(self.layer_style("title"))
            shift = self.title_offset()
            self._stylize_marks(text, start + shift, end + shift)
        elif kind in _HEADER_STYLES:
            text.stylize(self.layer_style(_HEADER_STYLES[kind]))
        else:
            if block in ("heading", "standfirst"):
                text.stylize(self.layer_style(block))
            self._stylize_body(text, start, end)
        indent = max(1, (width - self._layout.width) // 2)
        lead = Text(" " * indent + prefix, end="")
        lead.stylize(self.layer_style("meta") if prefix.strip() else base)  # a span: render ignores Text.style
        if (selection := self.text_selection) is not None and (span := selection.get_span(row)) is not None:
            low, high = span[0], (len(lead) + len(text) if span[1] == -1 else span[1])
            chosen = self.screen.get_component_rich_style("screen--selection")
            lead.stylize(chosen, low, high)
            text.stylize(chosen, max(0, low - len(lead)), max(0, high - len(lead)))
        segments = [*lead.render(self.app.console), *text.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, base)

    def _stylize_body(self, text: Text, start: int, end: int) -> None:
        """Lay highlight styles over one body row: names over quotes, the current span on top."""
        layers: list[tuple[Style, SpanIndex]] = [
            (self.layer_style(layer), self._spans[layer])
            for layer, toggle in _DRAWN
            if toggle in self.shown_layers and layer in self._spans
        ]
        for style, index in layers:
            for span_start, span_end in index.overlapping(start, end):
                text.stylize(style, max(span_start, start) - start, min(span_end, end) - start)
        self._stylize_marks(text, start, end)

    def _stylize_marks(self, text: Text, start: int, end: int) -> None:
        """Search matches, then the current span, over the row showing ``[start, end)``."""
        marks = [(self.layer_style("match"), self._matches)]
        if self._current is not None:
            marks.append((self.layer_style("current"), SpanIndex([self._current])))
        for style, index in marks:
            for span_start, span_end in index.overlapping(start, end):
                text.stylize(style, max(span_start, start) - start, min(span_end, end) - start)
