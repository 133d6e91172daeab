"""axe-core in the browser tier: inject it into the page (the map is drawn in the page itself, so
it is checked with the rest), run it, and keep the violations a person would meet (impact
critical or serious) that are ours; and the contrast of text as it is drawn, opacity included,
computed in the page.

axe-core comes from npm: ``python3 dev.py test`` installs ``axe-core@4`` into ``.cache/axe``
(git-ignored); ``QIMAP_AXE`` points at another ``axe.min.js``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
AXE_CACHE = REPO / ".cache" / "axe"  # dev.py installs axe-core here; keep the two in step
AXE_JS = Path(os.environ.get("QIMAP_AXE", AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"))
SERIOUS = ("critical", "serious")

# The page's own document; the page has no frame of ours (a frame Streamlit might add is left out).
RUN = """async () => {
    const result = await axe.run(document, {iframes: false, resultTypes: ["violations"]});
    return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes
            .filter((n) => n.impact === "critical" || n.impact === "serious")
            .map((n) => ({
                target: n.target.map(String).join(" "),
                html: n.html.slice(0, 240),
                summary: (n.failureSummary || "").slice(0, 400),
            })),
    }));
}"""


@dataclass(frozen=True)
class Allowed:
    """One violation we cannot fix: inside a widget Streamlit or Leaflet draws, never our words
    or markup. ``target`` is a regular expression searched in axe's selector for the element."""

    rule: str
    target: str
    reason: str


# Kept minimal and specific: a new rule, or the same rule on another element, still fails.
ALLOWED: tuple[Allowed, ...] = ()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) at {self.target}: {self.help}\n  {self.html}"


def axe_script() -> Path:
    """axe.min.js, or a failure that says how to get it (a skip would hide a broken page)."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: run `python3 dev.py test` (it runs `npm install axe-core@4` "
            f"into {AXE_CACHE}), or point QIMAP_AXE at an axe.min.js"
        )
    return AXE_JS


def is_allowed(violation: Violation, allowed: tuple[Allowed, ...] = ALLOWED) -> bool:
    return any(
        entry.rule == violation.rule and re.search(entry.target, violation.target)
        for entry in allowed
    )


def run_axe(document: Page) -> list[Violation]:
    """The serious and critical violations in the page ``document``, the map included, outside
    the allow-list."""
    if not document.evaluate("() => typeof window.axe !== 'undefined'"):
        document.add_script_tag(path=str(axe_script()))
    found = [
        Violation(
            rule=rule["rule"],
            impact=rule["impact"] or "",
            help=rule["help"],
            target=node["target"],
            html=node["html"],
            summary=node["summary"],
        )
        for rule in document.evaluate(RUN)
        for node in rule["nodes"]
    ]
    return [violation for violation in found if not is_allowed(violation)]


# WCAG 2.x contrast of each piece of text inside ``selector``: the text's colour, faded by the
# opacity of it and its ancestors, over the background it sits on (the translucent backgrounds
# behind it laid over white). Only text that is drawn (has a box) counts.
TEXT_CONTRAST = r"""(selector) => {
    const parse = (value) => {
        // rgb()/rgba() in 0-255, or color(srgb ...) in 0-1 (what color-mix() computes to)
        const srgb = /^color\(srgb ([^)]+)\)$/.exec(value);
        const rgb = /^rgba?\(([^)]+)\)$/.exec(value);
        const match = srgb || rgb;
        if (!match) return null;
        const p = match[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
        const scale = srgb ? 255 : 1;
        return [p[0] * scale, p[1] * scale, p[2] * scale, p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) =>
        [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
    const channel = (v) => {
        v /= 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (c) =>
        0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
    const ratio = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    };
    const background = (element) => {
        const layers = [];
        for (let node = element; node; node = node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour && colour[3] > 0) {
                layers.push(colour);
                if (colour[3] >= 1) break;
            }
        }
        return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const found = [];
    for (const box of document.querySelectorAll(selector)) {
        const holders = [box, ...box.querySelectorAll("*")].filter(
            (el) => el.getClientRects().length
                && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
        for (const el of holders) {
            let alpha = 1;
            for (let node = el; node; node = node.parentElement) {
                alpha *= Number(getComputedStyle(node).opacity);
            }
            const text = el.textContent.trim().slice(0, 80);
            const written = getComputedStyle(el).color;
            const colour = parse(written);
            if (!colour) {  // a colour format this does not read: say so, as a failure
                found.push({text, colour: written, ratio: 0});
                continue;
            }
            const behind = background(el);
            const drawn = over([colour[0], colour[1], colour[2], colour[3] * alpha], behind);
            found.push({text, colour: written, ratio: ratio(drawn, behind)});
        }
    }
    return found;
}"""


@dataclass(frozen=True)
class Contrast:
    text: str
    colour: str  # as computed (before opacity); a format TEXT_CONTRAST cannot read gives ratio 0
    ratio: float

    def __str__(self) -> str:
        return f"{self.ratio:.2f}:1 {self.text!r} ({self.colour})"


def text_contrasts(document: Page, selector: str) -> list[Contrast]:
    """The contrast of every drawn piece of text inside ``selector``."""
    rows = document.evaluate(TEXT_CONTRAST, selector)
    return [Contrast(row["text"], row["colour"], row["ratio"]) for row in rows]
