"""Red official seals drawn as stamped: ring, star, the organisation's name round the upper arc,
an optional centre line, ink that is uneven."""

import math
import random

from PIL import Image, ImageDraw, ImageFont


def _font(size: int, face: int = 0) -> ImageFont.FreeTypeFont:
    """Seal type: 宋体-like serif by default; other faces for seals cut in another font."""
    from tests.builders import CJK_FONTS, cjk_font

    available = [p for p in CJK_FONTS if p.is_file()]
    if face and len(available) > 1:
        return ImageFont.truetype(str(available[face % len(available)]), size)
    return cjk_font(size)


def draw_seal(name: str, centre: str, diameter: int, colour: tuple[int, int, int], rng: random.Random) -> Image.Image:
    """An RGBA seal image, transparent outside the ink."""
    size = diameter
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ink = (*colour, 235)
    ring = max(3, size // 28)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=ink, width=ring)
    # star
    cx = cy = size / 2
    r_out, r_in = size * 0.13, size * 0.05
    points = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = -math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(points, fill=ink)
    # name round the upper arc, left to right
    n = len(name)
    char_size = max(12, int(size * 0.13 if n <= 12 else size * 0.11))
    font = _font(char_size, rng.choice([0, 0, 1, 2]))
    radius = size / 2 - ring - char_size * 0.75
    span = min(math.radians(250), math.radians(22) * n)
    for i, ch in enumerate(name):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        glyph = Image.new("RGBA", (char_size * 2, char_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((char_size * 0.5, char_size * 0.4), ch, font=font, fill=ink)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = cx + radius * math.cos(angle) - char_size
        y = cy + radius * math.sin(angle) - char_size
        img.alpha_composite(glyph, (int(x), int(y)))
    if centre:
        cfont = _font(max(10, int(size * 0.09)))
        w = draw.textlength(centre, font=cfont)
        draw.text((cx - w / 2, cy + size * 0.17), centre, font=cfont, fill=ink)
    # uneven ink: knock out random specks
    speck = Image.new("L", (size, size), 255)
    sd = ImageDraw.Draw(speck)
    for _ in range(size * 2):
        x, y = rng.randrange(size), rng.randrange(size)
        sd.point((x, y), fill=rng.randint(0, 180))
    alpha = img.getchannel("A")
    img.putalpha(Image.composite(alpha, Image.new("L", (size, size), 0), speck))
    return img


def stamp(page: Image.Image, seal: Image.Image, centre_xy: tuple[int, int]) -> Image.Image:
    """Stamp with multiply blending, so the text beneath stays visible as it does on paper."""
    base = page.convert("RGB")
    layer = Image.new("RGB", base.size, (255, 255, 255))
    x, y = centre_xy[0] - seal.width // 2, centre_xy[1] - seal.height // 2
    white = Image.new("RGB", seal.size, (255, 255, 255))
    layer.paste(Image.composite(seal.convert("RGB"), white, seal.getchannel("A")), (x, y))
    from PIL import ImageChops

    return ImageChops.multiply(base, layer)
