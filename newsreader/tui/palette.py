"""The reader's colours, chosen from each theme so that every theme stays legible.

Themes are made for code and forms, not for four kinds of highlight side by side: in
some, two of the text colours are near twins (nord's primary and secondary), and in
light themes the panel colours melt into the background. So the highlight layers take,
from the theme's own text colours, the four that lie furthest apart, each made dark
(or light) enough to read on the background; and panel borders take the foreground,
faded only as far as they stay visible. A theme can still set any of these variables
itself (``Theme(variables={"newsreader-places": …})``).
"""
from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations, product

from textual.color import Color, Lab, rgb_to_lab

# Each layer's theme colours, in order of preference (the first is the theme's meaning:
# a quote is a warm "warning" colour, a person the primary one, a place "success" green).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "quotes": ("text-warning", "text-accent", "text-error"),
    "people": ("text-primary", "text-accent", "text-secondary"),
    "organisations": ("text-secondary", "text-accent", "text-error", "text-primary"),
    "places": ("text-success", "text-accent", "text-secondary"),
}
TEXT_CONTRAST = 3.0  # WCAG's least for large or bold text; highlights are bold, italic or underlined
BORDER_CONTRAST = 2.0  # a panel's outline against the background
CLOSE_ENOUGH = 8.0  # Lab distance under which a preferred colour is as good as the best choice


def variables(theme: Mapping[str, str]) -> dict[str, str]:
    """``newsreader-*`` CSS variables for the theme whose Textual variables are ``theme``."""
    try:
        background, foreground = Color.parse(theme["background"]), Color.parse(theme["foreground"])
        colours = {name: Color.parse(theme[name]) for names in CANDIDATES.values() for name in names}
    except (KeyError, ValueError):
        return _plain(theme)
    if background.ansi is not None or foreground.ansi is not None or any(c.ansi is not None for c in colours.values()):
        return _plain(theme)  # the terminal's own palette: nothing to measure
    readable = {name: _readable(colour, background, foreground, TEXT_CONTRAST) for name, colour in colours.items()}
    chosen = _spread(readable)
    out = {f"newsreader-{layer}": readable[name].hex for layer, name in chosen.items()}
    out["newsreader-border"] = _readable(background.blend(foreground, 0.35), background, foreground, BORDER_CONTRAST).hex
    for mark, colour in (("current", "warning"), ("match", "primary")):  # a tinted background, text that reads on it
        tint = background.blend(Color.parse(theme.get(colour, theme["foreground"])), 0.35)
        out[f"newsreader-{mark}"] = tint.hex
        out[f"newsreader-{mark}-text"] = max((foreground, background), key=lambda c: _contrast(c, tint)).hex
    return out


def _plain(theme: Mapping[str, str]) -> dict[str, str]:
    """Each layer's first preference as it is, and a grey border (ANSI themes leave the
    colours to the terminal, whose grey shows on a dark background and a light one)."""
    return {f"newsreader-{layer}": theme.get(names[0], "ansi_default") for layer, names in CANDIDATES.items()} | {
        "newsreader-border": "ansi_bright_black",
        "newsreader-current": "ansi_yellow", "newsreader-current-text": "ansi_black",
        "newsreader-match": "ansi_blue", "newsreader-match-text": "ansi_bright_white",
    }


def _spread(colours: Mapping[str, Color]) -> dict[str, str]:
    """One theme colour per layer, all different, as far apart as they can be; of choices
    nearly as far apart as the best, the one closest to each layer's first preference."""
    layers = list(CANDIDATES)
    lab = {name: rgb_to_lab(colour) for name, colour in colours.items()}
    scored = []
    for choice in product(*(CANDIDATES[layer] for layer in layers)):
        if len(set(choice)) < len(choice):
            continue
        spread = min(_distance(lab[a], lab[b]) for a, b in combinations(choice, 2))
        preference = sum(CANDIDATES[layer].index(name) for layer, name in zip(layers, choice, strict=True))
        scored.append((spread, preference, choice))
    best = max(spread for spread, _, _ in scored)
    _, _, choice = min((preference, -spread, choice) for spread, preference, choice in scored
                       if spread >= best - CLOSE_ENOUGH)
    return dict(zip(layers, choice, strict=True))


def _distance(a: Lab, b: Lab) -> float:
    return float(((a.L - b.L) ** 2 + (a.a - b.a) ** 2 + (a.b - b.b) ** 2) ** 0.5)


def _readable(colour: Color, background: Color, foreground: Color, contrast: float) -> Color:
    """``colour``, moved towards the foreground until it has ``contrast`` with the background."""
    for step in range(11):
        mixed = colour.blend(foreground, step / 10)
        if _contrast(mixed, background) >= contrast:
            return mixed
    return foreground


def _contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: Color) -> float:
        channels = [v / 255 for v in (c.r, c.g, c.b)]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
