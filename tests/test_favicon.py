"""/favicon.ico: the label's mark, so that a first visit logs no missing icon."""

import io

from PIL import Image

GREEN, WHITE = (0x1B, 0x5E, 0x20), (255, 255, 255)


def near(colour: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    """Within the rounding of the icon's scaling."""
    return all(abs(a - b) <= 4 for a, b in zip(colour, expected, strict=True))


def test_it_serves_the_labels_mark_as_the_site_icon(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=604800" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]
    icon.size = (48, 48)  # the largest of the sizes the file holds
    pixels = icon.convert("RGB")
    assert near(pixels.getpixel((9, 9)), GREEN)  # the background, above the lowest bar
    assert near(pixels.getpixel((9, 36)), WHITE)  # the lowest bar, on the left
    assert near(pixels.getpixel((39, 9)), WHITE)  # the highest bar, on the right


def test_it_answers_a_head_and_refuses_a_post(client) -> None:  # type: ignore[no-untyped-def]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405
