"""The Pillow pipeline on its own: what is accepted, what is refused and why, what comes out."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from app.errors import InvalidInput
from app.media import pipeline
from tests.media import files


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


def _refused(data: bytes) -> str:
    with pytest.raises(InvalidInput) as refused:
        pipeline.process(data)
    assert refused.value.status == 422 and refused.value.field == "picture"
    return refused.value.message


def test_a_phone_photo_comes_out_in_two_sizes_without_any_metadata():
    sizes = pipeline.process(files.photo(4000, 3000, orientation=1))
    assert {size: (e.width, e.height) for size, e in sizes.items()} == {
        "card": (480, 360), "page": (1200, 900)}
    for encoded in sizes.values():
        image = Image.open(io.BytesIO(encoded.data))
        assert image.format == "JPEG"
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in encoded.data and b"Kozl" not in encoded.data and b"Telefon" not in encoded.data
        assert encoded.name == hashlib.sha256(encoded.data).hexdigest() + ".jpg"


def test_the_orientation_is_applied_before_the_metadata_goes():
    # Orientation 6: the camera was turned; shown upright, the left (red) half is at the top.
    page = pipeline.process(files.photo(1600, 1200, orientation=6))["page"]
    image = Image.open(io.BytesIO(page.data)).convert("RGB")
    assert (page.width, page.height) == (900, 1200)
    red, green, _blue = image.getpixel((450, 100))
    assert red > 180 and green < 80
    red, green, _blue = image.getpixel((450, 1100))
    assert red < 120 and green > 100


def test_small_pictures_are_never_enlarged_and_transparency_goes_onto_white():
    sizes = pipeline.process(files.png(64, 48))
    assert (sizes["page"].width, sizes["page"].height) == (64, 48)
    pixel = Image.open(io.BytesIO(sizes["card"].data)).getpixel((10, 10))
    assert all(channel > 100 for channel in pixel)  # half-transparent blue on white: light


def test_webp_is_accepted():
    assert pipeline.process(files.photo(800, 600, fmt="WEBP", gps=False))["page"].width == 800


@pytest.mark.parametrize(("data", "message"), [
    (files.png_bomb(), pipeline.TOO_MANY_PIXELS),
    (files.png_bomb(8000), pipeline.TOO_MANY_PIXELS),  # 64 MP: past our limit, under Pillow's hard one
    (files.HTML, pipeline.NOT_A_PICTURE),
    (files.SVG, pipeline.NOT_A_PICTURE),
    (files.truncated_jpeg(), pipeline.DAMAGED),
    (files.other_format("GIF"), pipeline.NOT_A_PICTURE),
    (files.other_format("TIFF"), pipeline.NOT_A_PICTURE),
    (files.other_format("BMP"), pipeline.NOT_A_PICTURE),
], ids=["png-bomb", "png-64-megapixels", "html", "svg", "truncated-jpeg", "gif", "tiff", "bmp"])
def test_hostile_files_are_refused_with_a_reason(data, message):
    assert _refused(data) == str(message)


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_made_pillow_lenient(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does

    assert _refused(files.truncated_jpeg()) == str(pipeline.DAMAGED)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the PDFs keep their own setting


def test_a_file_over_10_mb_is_refused_before_it_is_read_whole():
    stream = io.BytesIO(b"\xff\xd8" + b"\x00" * (pipeline.MAX_BYTES + 10))
    with pytest.raises(InvalidInput) as refused:
        pipeline.read_limited(stream)
    assert refused.value.message == str(pipeline.TOO_LARGE)
    assert stream.tell() == pipeline.MAX_BYTES + 1
