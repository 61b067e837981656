"""One registry of export formats, shared by the CLI, the reader's save dialog and the library.

Each format turns a Reading into text; writing it somewhere is the caller's job
(``newsreader.export.files`` has the safe way to do that).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Protocol, cast

from newsreader.model import Reading

__all__ = ["Format", "FORMATS", "Renderer", "copies", "render"]


class Renderer(Protocol):
    """A format's render function; ``saved`` is when the copy was made, if it matters."""

    def __call__(self, reading: Reading, *, saved: datetime | None = None) -> str: ...


@dataclass(frozen=True)
class Format:
    name: str  # what the user types: --format NAME
    extension: str  # file name extension, without the dot
    description: str  # one line for help texts and the save dialog
    renderer: str  # "module:function"; imported on first use, so listing formats stays cheap
    copy: bool = True  # a copy of the article, to save and read again (GeoJSON holds only its places)

    def render(self, reading: Reading, *, saved: datetime | None = None) -> str:
        """Render ``reading`` in this format (the renderer's module loads here, once)."""
        module, _, function = self.renderer.partition(":")
        fn = cast(Renderer, getattr(import_module(module), function))
        return fn(reading, saved=saved)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json", 'machine-readable, schema "newsreader/1"', "newsreader.export.jsonfmt:render_json"),
        Format("md", "md", "Markdown with YAML front matter", "newsreader.export.mdfmt:render_markdown"),
        Format("txt", "txt", "plain text", "newsreader.export.txtfmt:render_text"),
        Format("html", "html", "standalone HTML page with highlighted quotes and entities",
               "newsreader.export.htmlfmt:render_html"),
        Format("geojson", "geojson", "the places as a GeoJSON FeatureCollection of points",
               "newsreader.export.geojsonfmt:render_geojson", copy=False),
    )
}


def copies() -> list[Format]:
    """The formats a saved copy of an article may take (the save dialog's, ``save.format``'s)."""
    return [f for f in FORMATS.values() if f.copy]


def render(reading: Reading, name: str, *, saved: datetime | None = None) -> str:
    """Render ``reading`` in the format called ``name`` (a key of FORMATS)."""
    try:
        fmt = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; known: {', '.join(FORMATS)}") from None
    return fmt.render(reading, saved=saved)
