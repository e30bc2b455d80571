"""Images (JPG, PNG, TIFF with several pages, BMP, GIF, WEBP): every frame is a page, OCR'd."""

import struct
import warnings
from collections.abc import Iterator

import numpy as np
from PIL import Image

from extractor.errors import ParseError
from extractor.parse.base import ParseContext, location
from extractor.parse.ocr_page import page_from_ocr
from extractor.settings import Settings
from models import Page, ParsedDocument, Source, TextSource

# what Pillow's decoders raise on damaged data (found by fuzzing: a truncated IHDR is a ValueError, a
# short iCCP chunk an IndexError); their messages are for developers, the kind of damage is shown
PIL_DAMAGE = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


def _guarded_open(data_path: str, settings: Settings) -> Image.Image:
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(data_path)
            width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ParseError(f"图片尺寸异常（疑似解压炸弹），拒绝解码：{exc}") from exc
    except UnidentifiedImageError as exc:
        raise ParseError("图片文件已损坏或格式无法识别") from exc
    except PIL_DAMAGE as exc:
        raise ParseError(f"图片文件已损坏，无法打开（{type(exc).__name__}）") from exc
    if width * height > settings.max_image_pixels:
        raise ParseError(
            f"图片像素过多（{width}×{height}，上限 {settings.max_image_pixels} 像素），拒绝解码"
        )
    return img


def image_to_bgr(img: Image.Image) -> np.ndarray:
    """Any PIL image (palette, alpha, 16-bit, CMYK, bilevel) → 3-channel BGR uint8 on white."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        span = max(float(arr.max() - arr.min()), 1.0)
        img = Image.fromarray(((arr - arr.min()) * 255.0 / span).astype(np.uint8))
    rgb = np.asarray(img.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def iter_frames(path: str, settings: Settings) -> Iterator[np.ndarray]:
    from PIL import ImageOps, ImageSequence

    img = _guarded_open(path, settings)
    with img:
        try:
            frames = int(getattr(img, "n_frames", 1))  # counted before any frame is decoded
        except PIL_DAMAGE as exc:
            raise ParseError(f"图片数据已损坏（{type(exc).__name__}）") from exc
        if frames > settings.max_pages:
            raise ParseError(f"图片帧数过多（{frames} 帧，上限 {settings.max_pages} 帧），拒绝解码")
        try:
            for index, frame in enumerate(ImageSequence.Iterator(img)):
                width, height = frame.size
                if width * height > settings.max_image_pixels:  # each frame, not the first only
                    raise ParseError(f"图片第 {index + 1} 帧像素过多（{width}×{height}），拒绝解码")
                upright = ImageOps.exif_transpose(frame) if index == 0 else frame
                yield image_to_bgr(upright if upright is not None else frame)
        except PIL_DAMAGE as exc:
            raise ParseError(f"图片数据已损坏（{type(exc).__name__}）") from exc


def parse_image(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    pages: list[Page] = []
    for index, frame in enumerate(iter_frames(str(location(source)), ctx.settings)):
        result = ctx.reader.read(lambda frame=frame: frame, owner=source.sha256)  # type: ignore[misc]
        ctx.count("pages_ocr")
        pages.append(page_from_ocr(result, index + 1))
    if not pages:
        raise ParseError("图片中没有可读取的帧")
    return ParsedDocument(
        path=source.path,
        sha256=source.sha256,
        media_type=media_type,
        pages=pages,
        page_count=len(pages),
        text_source=TextSource.OCR,
    )
