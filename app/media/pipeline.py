"""Turning an uploaded file into clean pictures: decode with Pillow (JPEG, PNG or WebP only), refuse
decompression bombs, apply the EXIF orientation, drop every piece of metadata (EXIF with GPS, XMP,
comments; colour profiles are converted to sRGB first), re-encode each size as a fresh JPEG.

Pure: bytes in, bytes out; no Flask, no database. Refusals are ``InvalidInput`` with a translated message.
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput

if TYPE_CHECKING:
    from PIL import Image

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The longest sides each size fits in (never enlarged): a card in a list, the picture on its page.
SIZES = {"card": (480, 640), "page": (1200, 1200)}
JPEG_QUALITY = 82

NOT_A_PICTURE = _l("This file is not a picture we can use. Send a photo or picture in JPEG, PNG or WebP "
                   "format.")
TOO_LARGE = _l("This file is larger than 10 MB. Send a smaller picture (a phone photo is usually 2–5 MB).")
TOO_MANY_PIXELS = _l("This picture has more than 40 megapixels. Send a smaller picture.")
DAMAGED = _l("This picture is damaged or incomplete and cannot be read. Send it again or choose another "
             "file.")
EMPTY = _l("Choose a picture to send.")


@dataclass(frozen=True)
class Encoded:
    name: str  # "<sha256>.jpg"
    data: bytes
    width: int
    height: int


def read_limited(stream: IO[bytes], limit: int = MAX_BYTES) -> bytes:
    """The upload's bytes, refused as soon as it passes ``limit`` (never read whole into memory)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(TOO_LARGE, field="picture")
    if not data:
        raise InvalidInput(EMPTY, field="picture")
    return data


@cache
def _guard_pillow() -> None:
    """Pillow is imported when a picture is first processed, not at every start of the app. Its own guard,
    process-wide: past this many pixels it warns, past twice as many it refuses."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS


_STRICT = threading.Lock()


def _load_strictly(image: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file. WeasyPrint sets Pillow's process-wide
    ``LOAD_TRUNCATED_IMAGES`` when it is imported (it pads broken images in PDFs): turn it off while our
    upload decodes, so a cut-off JPEG is refused rather than stored with a grey bottom."""
    from PIL import ImageFile

    with _STRICT:
        lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _open(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise InvalidInput(TOO_MANY_PIXELS, field="picture") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
            raise InvalidInput(NOT_A_PICTURE, field="picture") from error
        # The header is read; nothing is decoded yet. Check the size before decoding a single pixel.
        if image.format not in ACCEPTED_FORMATS:
            raise InvalidInput(NOT_A_PICTURE, field="picture")
        width, height = image.size
        if width < 1 or height < 1:
            raise InvalidInput(DAMAGED, field="picture")
        if width * height > MAX_PIXELS:
            raise InvalidInput(TOO_MANY_PIXELS, field="picture")
        try:
            _load_strictly(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise InvalidInput(TOO_MANY_PIXELS, field="picture") from error
        except (OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError) as error:
            raise InvalidInput(DAMAGED, field="picture") from error
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours as the browser shows them once the colour profile is dropped (a phone's Display P3)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode=image.mode) or image
    except Exception:  # noqa: BLE001 — an unreadable profile: keep the pixels as they are
        return image


def _flatten(image: Image.Image) -> Image.Image:
    """Plain RGB: transparency goes onto white; palettes, greyscale, CMYK and 16-bit become RGB."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, box: tuple[int, int]) -> Encoded:
    from PIL import Image

    sized = image.copy()
    sized.thumbnail(box, Image.Resampling.LANCZOS)
    clean = Image.new("RGB", sized.size)
    clean.paste(sized)  # a new image: no info, no EXIF, no XMP, no profile carried over
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    data = buffer.getvalue()
    return Encoded(hashlib.sha256(data).hexdigest() + ".jpg", data, *clean.size)


def process(data: bytes) -> dict[str, Encoded]:
    """Every size of the picture in ``data``, or ``InvalidInput`` saying why it cannot be used."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(TOO_LARGE, field="picture")
    from PIL import ImageOps

    _guard_pillow()
    image = _open(data)
    try:
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception:  # noqa: BLE001 — broken EXIF: the orientation is unknown, keep the pixels
            upright = image
        upright = _flatten(_to_srgb(upright if upright is not None else image))
        return {size: _encode(upright, box) for size, box in SIZES.items()}
    except (OSError, ValueError, MemoryError) as error:
        raise InvalidInput(DAMAGED, field="picture") from error
