"""Draw the Kizuki app icons as PNGs.

Pillow cannot rasterise SVG, so this script draws the same shapes as
static/pwa/icons/logo.svg (a 100x100 design grid) directly. It renders at
a large size and downsamples, which gives smooth anti-aliased edges.

Usage: .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "pwa" / "icons"

INDIGO = "#2E2A6B"
CORAL = "#E8643C"
AMBER = "#F3A23B"

SUPERSAMPLE = 8
Point = tuple[float, float]


def quad_bezier(p0: Point, p1: Point, p2: Point, steps: int = 64) -> list[Point]:
    """Points along a quadratic Bezier curve, as in the SVG path's Q command."""
    pts = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t**2
        pts.append((a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]))
    return pts


def spark(cx: float, cy: float, outer: float, inner: float) -> list[Point]:
    """A four-pointed star, points up/right/down/left."""
    pts = []
    for i in range(8):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 4
        pts.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return pts


def draw_ray(draw: ImageDraw.ImageDraw, a: Point, b: Point, width: float) -> None:
    """A straight stroke with round caps (Pillow's wide lines have ragged ends)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length * width / 2, dx / length * width / 2
    draw.polygon(
        [
            (a[0] + nx, a[1] + ny),
            (b[0] + nx, b[1] + ny),
            (b[0] - nx, b[1] - ny),
            (a[0] - nx, a[1] - ny),
        ],
        fill=AMBER,
    )
    for x, y in (a, b):
        draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=AMBER)


def draw_mark(draw: ImageDraw.ImageDraw, px: float, scale: float) -> None:
    """Draw the eye-and-spark mark; px is pixels per design unit."""

    def tx(p: Point) -> Point:
        # Scale around the centre of the 100x100 grid, then to pixels.
        return ((50 + (p[0] - 50) * scale) * px, (50 + (p[1] - 50) * scale) * px)

    stroke = 4.5 * scale * px
    for start, end in [((50, 35), (50, 25)), ((34, 39), (29, 32)), ((66, 39), (71, 32))]:
        draw_ray(draw, tx(start), tx(end), stroke)

    eye = quad_bezier((18, 58), (50, 26), (82, 58)) + quad_bezier((82, 58), (50, 90), (18, 58))
    draw.polygon([tx(p) for p in eye], fill=CORAL)

    cx, cy = tx((50, 58))
    r = 12 * scale * px
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=INDIGO)
    draw.polygon([tx(p) for p in spark(50, 58, 8.5, 3.25)], fill=AMBER)


def render(size: int, *, maskable: bool, rounded: bool) -> Image.Image:
    """One icon: rounded tile for 'any', full-bleed square for maskable/apple."""
    big = size * SUPERSAMPLE
    px = big / 100
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if rounded:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=22 * px, fill=INDIGO)
    else:
        draw.rectangle([0, 0, big, big], fill=INDIGO)
    # Maskable icons keep the artwork well inside the central 80% safe circle.
    draw_mark(draw, px, scale=0.9 if maskable else 1.0)
    return img.resize((size, size), Image.Resampling.LANCZOS)


# name: (size in px, maskable, rounded tile)
ICONS: dict[str, tuple[int, bool, bool]] = {
    "icon-192.png": (192, False, True),
    "icon-512.png": (512, False, True),
    "maskable-192.png": (192, True, False),
    "maskable-512.png": (512, True, False),
    # iOS rounds the corners itself and shows transparency as black.
    "apple-touch-icon.png": (180, False, False),
    "favicon-32.png": (32, False, True),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable, rounded) in ICONS.items():
        img = render(size, maskable=maskable, rounded=rounded)
        if not rounded:
            img = img.convert("RGB")
        img.save(OUT / name, optimize=True)
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
