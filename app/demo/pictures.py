"""The demo's pictures: simple illustrations drawn with Pillow (no network, no stock photos), stored
through the media pipeline like any upload and attached to proposals, places, activities and news.
Idempotent: a subject that has pictures already gets none."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from PIL import Image, ImageDraw

from app.db import db

W, H = 1200, 800
SKY, GRASS, WALL = (170, 214, 240), (96, 160, 80), (238, 228, 206)
FLOOR, WOOD = (190, 160, 120), (140, 96, 60)


def _canvas(top=SKY, bottom=GRASS, horizon=520) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (W, H), top)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, horizon, W, H), fill=bottom)
    return image, draw


def _blocks(draw, horizon=520):
    """The estate's blocks of flats on the horizon."""
    for x, height, colour in ((40, 300, (214, 200, 180)), (330, 360, (200, 190, 200)),
                              (860, 320, (220, 205, 170))):
        draw.rectangle((x, horizon - height, x + 260, horizon), fill=colour)
        for row in range(horizon - height + 25, horizon - 40, 55):
            for col in range(x + 20, x + 240, 50):
                draw.rectangle((col, row, col + 28, row + 30), fill=(120, 150, 180))


def garden() -> Image.Image:
    image, draw = _canvas()
    _blocks(draw)
    draw.ellipse((960, 40, 1100, 180), fill=(250, 210, 60))
    for bed in range(4):
        x = 80 + bed * 280
        draw.rectangle((x, 600, x + 220, 700), fill=(110, 75, 45))
        for plant in range(5):
            px = x + 20 + plant * 42
            draw.line((px, 600, px, 560), fill=(40, 120, 40), width=6)
            flower = ((230, 70, 90), (250, 200, 50), (170, 90, 200))[plant % 3]
            draw.ellipse((px - 14, 540, px + 14, 568), fill=flower)
    draw.rectangle((620, 720, 900, 740), fill=WOOD)
    return image


def courtyard() -> Image.Image:
    image, draw = _canvas(bottom=(170, 170, 165))
    _blocks(draw)
    draw.rectangle((0, 640, W, H), fill=GRASS)
    for x in (160, 700):
        draw.rectangle((x, 600, x + 240, 620), fill=WOOD)
        draw.rectangle((x + 10, 620, x + 24, 660), fill=(60, 60, 60))
        draw.rectangle((x + 216, 620, x + 230, 660), fill=(60, 60, 60))
    for x in (80, 520, 1080):
        draw.rectangle((x, 430, x + 24, 620), fill=WOOD)
        draw.ellipse((x - 80, 300, x + 104, 470), fill=(60, 140, 70))
    return image


def workshop() -> Image.Image:
    image, draw = _canvas(top=WALL, bottom=FLOOR, horizon=560)
    draw.rectangle((120, 470, 1080, 510), fill=WOOD)
    draw.rectangle((150, 510, 180, 700), fill=WOOD)
    draw.rectangle((1020, 510, 1050, 700), fill=WOOD)
    draw.rounded_rectangle((220, 330, 440, 470), radius=30, fill=(200, 60, 50))  # a toaster
    draw.rectangle((270, 320, 300, 340), fill=(60, 60, 60))
    draw.rectangle((350, 320, 380, 340), fill=(60, 60, 60))
    draw.ellipse((560, 340, 760, 470), fill=(80, 110, 160))  # a lamp's shade
    draw.line((660, 470, 660, 420), fill=(40, 40, 40), width=10)
    for i, x in enumerate(range(180, 1040, 110)):  # tools on the wall
        draw.line((x, 120, x + (25 if i % 2 else -25), 260), fill=(90, 90, 100), width=14)
        draw.ellipse((x - 22, 100, x + 22, 144), fill=(90, 90, 100))
    return image


def chess() -> Image.Image:
    image, draw = _canvas(top=WALL, bottom=FLOOR, horizon=600)
    size, left, top = 56, 376, 170
    for row in range(8):
        for col in range(8):
            colour = (240, 225, 190) if (row + col) % 2 == 0 else (120, 80, 50)
            x, y = left + col * size, top + row * size
            draw.rectangle((x, y, x + size, y + size), fill=colour)
    for col in range(8):
        for row, colour in ((1, (30, 30, 30)), (6, (250, 250, 250))):
            cx, cy = left + col * size + size // 2, top + row * size + size // 2
            draw.ellipse((cx - 16, cy - 16, cx + 16, cy + 16), fill=colour, outline=(90, 90, 90))
    draw.ellipse((120, 260, 300, 440), fill=(230, 190, 160))  # two players
    draw.ellipse((900, 260, 1080, 440), fill=(200, 160, 130))
    return image


def bicycles() -> Image.Image:
    image, draw = _canvas()
    _blocks(draw)
    draw.rectangle((0, 560, W, H), fill=(170, 170, 165))
    for x, colour in ((200, (30, 110, 190)), (700, (210, 80, 40))):
        for wheel in (x, x + 260):
            draw.ellipse((wheel - 90, 560, wheel + 90, 740), outline=(40, 40, 40), width=12)
        draw.line((x, 650, x + 130, 560, x + 260, 650, x + 100, 650, x, 650), fill=colour, width=12)
        draw.line((x + 130, 560, x + 110, 520), fill=colour, width=10)
    return image


def cinema() -> Image.Image:
    image, draw = _canvas(top=(30, 40, 80), bottom=(40, 90, 50))
    for x, y in ((100, 60), (300, 120), (520, 40), (820, 90), (1100, 50), (980, 160)):
        draw.ellipse((x, y, x + 8, y + 8), fill=(255, 250, 200))
    draw.rectangle((260, 120, 940, 480), fill=(245, 245, 235))
    draw.polygon(((420, 400), (600, 220), (780, 400)), fill=(120, 170, 220))
    draw.rectangle((250, 480, 270, 560), fill=(80, 80, 80))
    draw.rectangle((930, 480, 950, 560), fill=(80, 80, 80))
    for x in range(80, 1160, 90):  # the audience
        draw.ellipse((x, 600, x + 60, 660), fill=(20, 25, 40))
        draw.rectangle((x - 5, 650, x + 65, 740), fill=(20, 25, 40))
    return image


def books() -> Image.Image:
    image, draw = _canvas(top=WALL, bottom=FLOOR, horizon=680)
    for shelf in (240, 440, 640):
        draw.rectangle((200, shelf, 1000, shelf + 20), fill=WOOD)
        x = 220
        for i in range(14):
            width = 36 + (i * 7) % 20
            height = 120 + (i * 13) % 50
            colour = ((200, 70, 60), (60, 120, 180), (230, 180, 60), (80, 150, 90), (150, 90, 160))[i % 5]
            draw.rectangle((x, shelf - height, x + width, shelf), fill=colour)
            x += width + 6
    return image


def hall() -> Image.Image:
    image, draw = _canvas(top=WALL, bottom=FLOOR, horizon=520)
    draw.rectangle((380, 80, 820, 330), fill=(250, 250, 250), outline=(120, 120, 120), width=6)
    for row in range(3):
        for col in range(7):
            x, y = 130 + col * 140 + row * 20, 560 + row * 70
            draw.rectangle((x, y, x + 70, y + 20), fill=(60, 110, 160))
            draw.rectangle((x, y - 50, x + 12, y), fill=(60, 110, 160))
    return image


def kitchen() -> Image.Image:
    image, draw = _canvas(top=(230, 240, 230), bottom=FLOOR, horizon=560)
    draw.rectangle((80, 300, 480, 560), fill=(250, 250, 250), outline=(150, 150, 150), width=4)
    for x in (150, 330):
        draw.ellipse((x, 310, x + 80, 340), fill=(60, 60, 60))
    draw.ellipse((560, 520, 1120, 700), fill=WOOD)  # the shared table
    for x in (620, 760, 900, 1040):
        draw.ellipse((x - 30, 560, x + 30, 600), fill=(250, 250, 250))
    draw.ellipse((800, 380, 900, 480), fill=(230, 120, 60))  # a pot of soup
    return image


# kind, the subject's title (or a place's name), the drawing, the alternative text
PICTURES: list[tuple[str, str, Callable[[], Image.Image], str]] = [
    ("proposal", "Ogród społeczny za blokiem nr 7", garden,
     "Rysunek: grządki z kwiatami i ławka na trawniku za blokiem"),
    ("proposal", "Ogród społeczny za blokiem nr 7", courtyard,
     "Rysunek: trawnik za blokiem nr 7 dziś, z dwiema ławkami i drzewami"),
    ("proposal", "Kawiarenka naprawcza raz w miesiącu", workshop,
     "Rysunek: stół warsztatowy z tosterem i lampą do naprawy, narzędzia na ścianie"),
    ("proposal", "Szachy dla seniorów we wtorki", chess, "Rysunek: szachownica z pionkami i dwoje graczy"),
    ("proposal", "Stacja naprawy rowerów przy wejściu", bicycles, "Rysunek: dwa rowery przed blokami"),
    ("proposal", "Letnie kino plenerowe na boisku", cinema,
     "Rysunek: ekran kina pod gwiazdami i widzowie na boisku"),
    ("proposal", "Wymiana książek na klatkach schodowych", books, "Rysunek: półki pełne kolorowych książek"),
    ("place", "Sala główna", hall, "Rysunek: sala główna z ekranem i rzędami krzeseł"),
    ("place", "Pracownia", workshop, "Rysunek: pracownia ze stołem warsztatowym i narzędziami na ścianie"),
    ("place", "Kuchnia społeczna", kitchen, "Rysunek: kuchnia z kuchenką i wspólnym stołem"),
    ("place", "Ogród", garden, "Rysunek: ogród za budynkiem, grządki z kwiatami i ławka"),
    ("activity", "Sprzątanie skweru i sadzenie cebulek", garden,
     "Rysunek: świeżo obsadzone grządki z kwiatami"),
    ("activity", "Kawiarenka naprawcza", workshop, "Rysunek: stół warsztatowy z rzeczami do naprawy"),
    ("news", "Sprzątanie podwórka — dziękujemy!", courtyard, "Rysunek: posprzątane podwórko z ławkami"),
    ("news", "Wieczór planszówek — zapraszamy całe rodziny", chess, "Rysunek: szachownica z pionkami"),
]


@functools.cache
def _png(draw: Callable[[], Image.Image]) -> bytes:
    buffer = io.BytesIO()
    draw().save(buffer, "PNG")
    return buffer.getvalue()


def _subject_ids() -> dict[tuple[str, str], int]:
    from app.activities.models import Activity, Place
    from app.news.models import NewsPost
    from app.proposals.models import Proposal

    ids: dict[tuple[str, str], int] = {}
    for kind, model, column in (("proposal", Proposal, Proposal.title), ("place", Place, Place.name),
                                ("activity", Activity, Activity.title), ("news", NewsPost, NewsPost.title)):
        names = {title for k, title, _draw, _alt in PICTURES if k == kind}
        for subject_id, name in db.session.execute(
                sa.select(model.id, column).where(column.in_(names)).order_by(model.id)):
            ids.setdefault((kind, name), subject_id)
    return ids


def seed(people) -> Iterator[str]:
    from app.media.queries import count_of
    from app.media.services import attach, store

    uploader = people.get("moderator@mam.example")
    ids = _subject_ids()
    done, added = set(), 0
    for kind, name, draw, alt in PICTURES:
        subject_id = ids.get((kind, name))
        if subject_id is None or ((kind, subject_id) not in done and count_of(kind, subject_id)):
            continue
        done.add((kind, subject_id))
        attach(store(io.BytesIO(_png(draw)), alt), kind, subject_id, uploader.id if uploader else None)
        added += 1
    db.session.commit()
    yield f"pictures: {added} drawn and added"
