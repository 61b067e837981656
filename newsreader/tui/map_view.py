"""The reader's map: the article's places over the world's outlines, drawn in the terminal.

The outlines are drawn with dots: Braille glyphs give each cell 2 × 4 of them, and for a
terminal or font without those glyphs, ASCII gives 1 × 2 (``'``, ``.`` and ``:``). A cell
is about twice as tall as it is wide, so in both a dot is square and the equirectangular
view (:mod:`newsreader.geo`) keeps its shape. Markers are sized by mentions; labels go
beside their marker, right or else left, and are left out where they would overlap.

The widget uses the Line API: a frame (outline dots, markers, labels) is worked out once
for a view, a size and a selection, and each line is then read from it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from newsreader.geo import WORLD, View, fit, on_map
from newsreader.model import Place
from newsreader.safety import one_line
from newsreader.tui.keymap import key

GLYPHS = ("braille", "ascii")
_BLANK, _OUTLINE, _COUNTRY, _MARKER, _SELECTED, _LABEL = range(6)  # what a cell shows, for its style
ZOOM = 1.5  # each + or - press
PAN = 0.25  # of the view's width or height, each arrow press

# Braille: the bit of each dot in a cell, by row then column (U+2800 plus the bits).
_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
_BRAILLE = tuple(" " if bits == 0 else chr(0x2800 + bits) for bits in range(256))
_ASCII_BITS = ((0x01,), (0x02,))
_ASCII = (" ", "'", ".", ":")


@dataclass(frozen=True)
class Glyphs:
    """How dots become characters: ``bits[row][column]`` of a cell, and the characters."""

    bits: tuple[tuple[int, ...], ...]
    chars: tuple[str, ...]
    markers: tuple[str, str, str]  # few, more, most mentions

    @property
    def across(self) -> int:
        return len(self.bits[0])

    @property
    def down(self) -> int:
        return len(self.bits)


GLYPH_SETS = {
    "braille": Glyphs(_BRAILLE_BITS, _BRAILLE, ("•", "●", "◉")),
    "ascii": Glyphs(_ASCII_BITS, _ASCII, ("o", "O", "@")),
}


def marker_sizes(places: Sequence[Place]) -> dict[str, int]:
    """0, 1 or 2 for each place, by its mentions against the most any place has."""
    most = max((p.mentions for p in places), default=0) or 1
    return {p.name: 2 if p.mentions * 3 >= most * 2 else 1 if p.mentions * 3 >= most else 0 for p in places}


@dataclass(frozen=True)
class Label:
    place: Place
    column: int
    row: int
    text: str  # "" when it did not fit
    text_column: int


def place_labels(places: Sequence[Place], cells: dict[str, tuple[int, int]], width: int,
                 selected: str | None) -> list[Label]:
    """A marker for every place in ``cells`` (its column and row), and a label for each one
    that fits, the selected place first and then by mentions: right of its marker, else
    left, never over another marker or label and one blank cell apart. Of places in one
    cell only the first is named (two names on one dot would leave a reader guessing). The
    selected place is always named, over whatever is in the way."""
    taken: dict[int, bytearray] = {}
    for column, row in cells.values():
        taken.setdefault(row, bytearray(width))[column] = 1
    order = sorted((p for p in places if p.name in cells),
                   key=lambda p: (p.name != selected, -p.mentions, p.name.casefold()))
    labels, named = [], set()
    for place in order:
        column, row = cells[place.name]
        line = taken[row]
        text = one_line(place.name)
        length = cell_len(text)
        chosen = place.name == selected
        spot = None
        if (column, row) not in named:
            spots = [start for start in (column + 2, column - 1 - length) if start >= 0 and start + length <= width]
            spot = next((start for start in spots if chosen or not _taken(line, start, start + length, column)),
                        column + 2 if chosen and column + 2 < width else None)
        named.add((column, row))
        if spot is None:
            labels.append(Label(place, column, row, "", column))
            continue
        for x in range(max(0, spot - 1), min(width, spot + length + 1)):
            if x != column:
                line[x] = line[x] or 2
        labels.append(Label(place, column, row, text, spot))
    return labels


def _taken(line: bytearray, start: int, end: int, own: int) -> bool:
    """Whether a cell from ``start`` to ``end``, or one either side, is taken by another
    marker or label than the place's own marker."""
    return any(line[x] for x in range(max(0, start - 1), min(len(line), end + 1)) if x != own)


@dataclass
class Frame:
    """One drawn map: the outline bits of each cell, those of the highlighted country, and
    the markers and labels."""

    width: int
    height: int
    glyphs: Glyphs
    outline: list[list[int]]
    country: list[list[int]]
    labels: list[Label]
    sizes: dict[str, int]


def draw(view: View, places: Sequence[Place], width: int, height: int, glyphs: Glyphs,
         selected: str | None = None) -> Frame:
    """The map of ``places`` in ``view`` (shaped to the canvas) on ``width`` by ``height`` cells."""
    across, down = width * glyphs.across, height * glyphs.down
    shown = view.shaped(across, down)
    chosen = next((p for p in places if p.name == selected), None)
    from newsreader.tui.raster import outlines  # numpy: with the map, not at start-up

    outline, country = outlines(shown, width, height, glyphs.bits, chosen.country if chosen is not None else None)
    cells: dict[str, tuple[int, int]] = {}
    for place in on_map(places)[0]:
        assert place.lon is not None and place.lat is not None
        if shown.contains(place.lon, place.lat):
            column, row = shown.project(place.lon, place.lat, width, height)
            cells.setdefault(place.name, (min(width - 1, int(column)), min(height - 1, int(row))))
    return Frame(width, height, glyphs, outline, country, place_labels(places, cells, width, selected),
                 marker_sizes(places))


class MapView(Widget, can_focus=True):
    """The places of the article on a map; the last line says what is not on it."""

    COMPONENT_CLASSES = {"map--outline", "map--country", "map--marker", "map--selected", "map--label",
                         "map--caption"}

    BINDINGS = [
        Binding("plus,equals_sign", "zoom(True)", "Zoom in", show=False, id="map_zoom_in"),
        Binding("minus", "zoom(False)", "Zoom out", show=False, id="map_zoom_out"),
        Binding("left,h", "pan(-1, 0)", "Pan west", show=False, id="map_west"),
        Binding("right,l", "pan(1, 0)", "Pan east", show=False, id="map_east"),
        Binding("up,k", "pan(0, 1)", "Pan north", show=False, id="map_north"),
        Binding("down,j", "pan(0, -1)", "Pan south", show=False, id="map_south"),
        Binding("0", "fit", "Fit the places", show=False, id="map_fit"),
        Binding("w", "world", "Whole world", show=False, id="map_world"),
    ]

    def __init__(self, glyphs: str = "braille", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = GLYPH_SETS[glyphs]
        self.places: tuple[Place, ...] = ()
        self.missing: tuple[Place, ...] = ()
        self.view: View = WORLD
        self.selected: str | None = None
        self._frame: Frame | None = None
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}

    # -- what it shows -----------------------------------------------------------

    def show_places(self, places: Sequence[Place]) -> None:
        """Show ``places``, the view fitted to those with a point (unless they are those shown)."""
        if tuple(places) == self.places:
            return  # the same places (a correction of a speaker): the view stays as it is
        located, missing = on_map(places)
        self.places, self.missing = tuple(places), tuple(missing)
        self.selected = None if self.selected not in {p.name for p in places} else self.selected
        self.view = fit(located)
        self._redraw()

    def select(self, name: str | None) -> None:
        """Highlight place ``name`` and its country, bringing it into view at this zoom."""
        self.selected = name
        place = next((p for p in self.places if p.name == name), None)
        if place is not None and place.lon is not None and place.lat is not None:
            view = self.shown_view
            if not view.contains(place.lon, place.lat):
                lon, lat = view.centre
                self.view = View(view.west + place.lon - lon, view.south + place.lat - lat,
                                 view.east + place.lon - lon, view.north + place.lat - lat).clamped()
        self._redraw()

    @property
    def shown_view(self) -> View:
        """The view as drawn: shaped to the canvas."""
        width, height = self.canvas_size
        return self.view.shaped(width * self.glyphs.across, height * self.glyphs.down)

    @property
    def canvas_size(self) -> tuple[int, int]:
        """The cells the map itself takes: all but the caption's line."""
        return self.size.width, max(0, self.size.height - 1)

    @property
    def frame(self) -> Frame:
        width, height = self.canvas_size
        if self._frame is None or (self._frame.width, self._frame.height) != (width, height):
            self._frame = draw(self.view, self.places, width, height, self.glyphs, self.selected)
            self._strips = {}
        return self._frame

    def _redraw(self) -> None:
        self._frame = None
        self._strips = {}
        self.refresh()

    # -- keys --------------------------------------------------------------------

    def action_zoom(self, closer: bool) -> None:
        self.view = self.shown_view.zoomed(ZOOM if closer else 1 / ZOOM)
        self._redraw()

    def action_pan(self, east: int, north: int) -> None:
        self.view = self.shown_view.panned(east * PAN, north * PAN)
        self._redraw()

    def action_fit(self) -> None:
        self.view = fit(on_map(self.places)[0])
        self._redraw()

    def action_world(self) -> None:
        self.view = WORLD
        self._redraw()

    # -- drawing -----------------------------------------------------------------

    @property
    def styles_by_part(self) -> dict[str, Style]:
        """Each part's style (resolved once per theme: it is not cheap)."""
        if not self._styles:
            self._styles = {name: self.get_component_rich_style(f"map--{name}")
                            for name in ("outline", "country", "marker", "selected", "label", "caption")}
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips, self._styles = {}, {}

    def on_resize(self) -> None:
        self._redraw()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    def render_line(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            strip = self._strips[y] = self._line(y)
        return strip

    def _line(self, y: int) -> Strip:
        frame = self.frame
        base = self.rich_style
        if y == frame.height:
            return self._caption()
        if y > frame.height or not frame.width:
            return Strip.blank(self.size.width, base)
        parts = self.styles_by_part
        styles = (base, parts["outline"], parts["country"], parts["marker"], parts["selected"], parts["label"])
        table = frame.glyphs.chars
        outline, country = frame.outline[y], frame.country[y]
        chars = [table[bits | own] for bits, own in zip(outline, country, strict=True)]
        kinds = [_COUNTRY if own else _OUTLINE if bits else _BLANK for bits, own in zip(outline, country, strict=True)]
        row = [label for label in reversed(frame.labels) if label.row == y]  # the first drawn last, on top
        for label in row:
            chars[label.column] = frame.glyphs.markers[frame.sizes.get(label.place.name, 0)]
            kinds[label.column] = _SELECTED if label.place.name == self.selected else _MARKER
        for label in row:
            at, kind = label.text_column, _SELECTED if label.place.name == self.selected else _LABEL
            for char in label.text:  # one cell per character; a wide one takes its own and the next
                width = cell_len(char)
                if at + width > frame.width:
                    break
                chars[at], kinds[at] = char, kind
                for extra in range(1, width):
                    chars[at + extra], kinds[at + extra] = "", kind
                at += width
        segments, start = [], 0
        for kind, run in groupby(kinds):
            length = len(list(run))
            segments.append(Segment("".join(chars[start:start + length]), styles[kind]))
            start += length
        return Strip(segments, frame.width)

    def _caption(self) -> Strip:
        """What the map leaves out, and the keys."""
        style = self.styles_by_part["caption"]
        located = len(self.places) - len(self.missing)
        if not self.places:
            text = "No places in this article."
        elif not located:
            text = "None of the places has a point on the map."
        else:
            text = f"{located} place{'s' if located != 1 else ''} on the map."
        if self.missing:
            text += " Not on the map: " + ", ".join(one_line(p.name) for p in self.missing) + "."
        hints = (f"  {key(self.app, 'map_zoom_in')}/{key(self.app, 'map_zoom_out')} zoom, "
                 f"{key(self.app, 'map_west')}{key(self.app, 'map_north')}{key(self.app, 'map_south')}"
                 f"{key(self.app, 'map_east')} pan, {key(self.app, 'map_fit')} fit, {key(self.app, 'map_world')} world")
        width = self.size.width
        if cell_len(text + hints) <= width:
            text += hints
        line = Text(text)
        line.truncate(width, overflow="ellipsis", pad=True)
        return Strip([Segment(line.plain, style)], width)
