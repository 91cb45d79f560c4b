"""Pictures for the tests, made with Pillow on the spot: a phone photo with GPS EXIF and an orientation,
and the hostile files (a PNG decompression bomb, HTML and SVG renamed .jpg, a truncated JPEG)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageDraw

# Kraków, Na Kozłówce: what a phone writes into the photo.
GPS = {1: "N", 2: (50.0, 1.0, 30.0), 3: "E", 4: (19.0, 57.0, 0.0)}


def photo(width: int = 1600, height: int = 1200, *, gps: bool = True, orientation: int | None = None,
          fmt: str = "JPEG", colour=(70, 140, 90)) -> bytes:
    """A phone photo: left half red, right half ``colour``, with the EXIF a phone writes."""
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle((0, 0, width // 2, height), fill=(220, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefon"
    exif[ExifTags.Base.Model] = "Kozłówka 3000"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes(), **({"quality": 90} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def png(width: int = 64, height: int = 48, mode: str = "RGBA") -> bytes:
    image = Image.new(mode, (width, height), (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def other_format(fmt: str) -> bytes:
    """A real picture in a format Pillow reads but we do not accept (GIF, TIFF, BMP)."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 100, 0)).save(buffer, fmt)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 100_000) -> bytes:
    """A few kilobytes that claim 100 000 × 100 000 pixels (10 gigapixels) of zeros."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * (side // 8 + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
       b'<script>alert(1)</script><circle cx="50" cy="50" r="40"/></svg>')


def truncated_jpeg() -> bytes:
    data = photo(gps=False)
    return data[: len(data) // 2]
