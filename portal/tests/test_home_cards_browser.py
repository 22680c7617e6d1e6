"""The home page's cards in a real browser: each is as tall as what it holds, so a short
card beside a long one has no empty area under its last line."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each card: the space between its content's end and its own bottom edge, beyond its
# padding and border (0 when the card is as tall as its content).
EMPTY_BELOW_CONTENT = """() => [...document.querySelectorAll('.home-grid > .card')].map(card => {
  const last = card.lastElementChild;
  const style = getComputedStyle(card);
  const contentEnd = last.getBoundingClientRect().bottom
    + parseFloat(getComputedStyle(last).marginBottom);
  return card.getBoundingClientRect().bottom - contentEnd
    - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_home_cards_are_as_tall_as_their_content(live_server, page, width):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    empty = page.evaluate(EMPTY_BELOW_CONTENT)
    assert len(empty) == 4
    assert all(abs(space) < 2 for space in empty), empty
    heights = page.evaluate(
        "[...document.querySelectorAll('.home-grid > .card')]"
        ".map(card => Math.round(card.getBoundingClientRect().height))"
    )
    assert len(set(heights)) > 1  # the demo's cards differ: none was stretched to another
