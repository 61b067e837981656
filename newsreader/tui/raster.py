"""The world's outlines as dots on a canvas: what the map draws, as array arithmetic.

Every edge of every outline is one row of an array (read once), so that a frame is a
few vectorised steps, whichever part of the world is in view: project the edges, clip
each to the canvas (Liang-Barsky), step along it at one dot or less, and gather the
dots into each cell's bits (the map's glyphs turn those into characters).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from newsreader.geo import View, world

Bits = tuple[tuple[int, ...], ...]  # a cell's bit for each dot, by row then column


@lru_cache(maxsize=1)
def world_edges() -> tuple[np.ndarray, np.ndarray]:
    """Every edge of the world's outlines, as rows of lon, lat, lon, lat, with each
    edge's country code (ISO 3166-1 alpha-2; "" for the few without one)."""
    countries = world()
    edges = [edges_of(country.rings) for country in countries]
    codes = np.repeat(np.array([c.iso_a2 or "" for c in countries]), [len(e) for e in edges])
    return np.vstack(edges), codes


def edges_of(rings: Iterable[Sequence[float]]) -> np.ndarray:
    """The edges of ``rings`` (each a flat run of lon, lat pairs) as rows of lon, lat, lon, lat."""
    rows = [np.column_stack([points[:-1], points[1:]])
            for points in (np.asarray(ring, dtype=float).reshape(-1, 2) for ring in rings) if len(points) > 1]
    return np.vstack(rows) if rows else np.empty((0, 4))


def dot_arrays(view: View, edges: np.ndarray, across: int, down: int) -> tuple[np.ndarray, np.ndarray]:
    """The dots (x and y arrays) of a canvas ``across`` by ``down`` that ``edges`` pass
    through in ``view``."""
    sx, sy = across / view.width, down / view.height
    x0, y0 = (edges[:, 0] - view.west) * sx, (view.north - edges[:, 1]) * sy
    x1, y1 = (edges[:, 2] - view.west) * sx, (view.north - edges[:, 3]) * sy
    dx, dy = x1 - x0, y1 - y0
    low, high = np.zeros(len(edges)), np.ones(len(edges))
    outside = np.zeros(len(edges), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0), (dx, across - 1e-9 - x0), (-dy, y0), (dy, down - 1e-9 - y0)):
            t = q / p
            low = np.where(p < 0, np.maximum(low, t), low)
            high = np.where(p > 0, np.minimum(high, t), high)
            outside |= (p == 0) & (q < 0)
    keep = ~outside & (low <= high)
    ax, ay = x0[keep] + low[keep] * dx[keep], y0[keep] + low[keep] * dy[keep]
    bx, by = x0[keep] + high[keep] * dx[keep], y0[keep] + high[keep] * dy[keep]
    steps = np.maximum(np.abs(bx - ax), np.abs(by - ay)).astype(int) + 1
    edge = np.repeat(np.arange(len(steps)), steps + 1)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(steps + 1) - (steps + 1), steps + 1)
    f = step / steps[edge]
    xs = np.clip((ax[edge] + f * (bx - ax)[edge]).astype(int), 0, across - 1)
    ys = np.clip((ay[edge] + f * (by - ay)[edge]).astype(int), 0, down - 1)
    return xs, ys


def dots(view: View, rings: Iterable[Sequence[float]], across: int, down: int) -> set[tuple[int, int]]:
    """The dots of a canvas ``across`` by ``down`` that the outlines ``rings`` pass through in ``view``."""
    xs, ys = dot_arrays(view, edges_of(rings), across, down)
    return set(zip(xs.tolist(), ys.tolist(), strict=True))


def cells(xs: np.ndarray, ys: np.ndarray, width: int, height: int, bits: Bits) -> list[list[int]]:
    """Dots gathered into ``width`` by ``height`` cells of ``bits``: each cell's bits, row by row."""
    grid = np.zeros(width * height, dtype=np.uint8)
    table = np.asarray(bits, dtype=np.uint8)
    down, across = table.shape
    np.bitwise_or.at(grid, (ys // down) * width + xs // across, table[ys % down, xs % across])
    return grid.reshape(height, width).tolist()  # type: ignore[no-any-return]


def outlines(view: View, width: int, height: int, bits: Bits,
             country: str | None = None) -> tuple[list[list[int]], list[list[int]]]:
    """The world's outlines in ``view`` on ``width`` by ``height`` cells: every country's
    but ``country``'s, and ``country``'s apart (to be drawn highlighted)."""
    if not width or not height:
        return [[0] * width for _ in range(height)], [[0] * width for _ in range(height)]
    across, down = width * len(bits[0]), height * len(bits)
    edges, codes = world_edges()
    own = (codes == country) if country else np.zeros(len(edges), dtype=bool)
    return (cells(*dot_arrays(view, edges[~own], across, down), width, height, bits),
            cells(*dot_arrays(view, edges[own], across, down), width, height, bits))
