"""A PDF attachment opens in Chromium's own PDF viewer, inline, under its inert policy.

Chromium's new headless mode (what `--headless` means since Chromium 132) has the viewer:
a dark toolbar above the white page. The test looks at the screen as a reader would: it
measures the screenshot rather than the viewer's internals, which change between versions.
Findings behind the attachment policy: docs/headers.md.
"""

import base64

import pytest

from .factories import make_attachment, make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = """<!doctype html><meta charset="utf-8"><title>Kế hoạch 341-KH/TU</title>
<h1>KẾ HOẠCH số 341-KH/TU</h1>
<p>Thực hiện Nghị quyết Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII.</p>"""

# Shares of the screenshot: dark pixels in the top 40 px (the viewer's toolbar), white
# pixels in the middle of the screen (the page). A browser that refuses to show the PDF
# draws an error page instead: white at the top, or no page at all.
MEASURE = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const share = (x, y, width, height, test) => {
    const data = context.getImageData(x, y, width, height).data;
    let hits = 0;
    for (let i = 0; i < data.length; i += 4) if (test(data[i], data[i + 1], data[i + 2])) hits++;
    return hits / (data.length / 4);
  };
  const w = image.width, h = image.height;
  return {
    toolbar: share(0, 0, w, 40, (r, g, b) => r < 90 && g < 90 && b < 90),
    page: share(w * 0.4, h * 0.3, w * 0.5, h * 0.6, (r, g, b) => r > 240 && g > 240 && b > 240),
  };
}"""


def test_a_pdf_attachment_opens_inline_in_chromiums_viewer(live_server, browser):
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    page.set_content(PLAN)
    pdf = page.pdf(format="A4")
    attachment = make_attachment(make_document(number="341-KH/TU"), content=pdf)

    response = page.goto(live_server.url + attachment.get_absolute_url())

    # As the portal sent them (`.headers` leaves out or trims security headers).
    headers = response.all_headers()
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline;")
    assert headers["x-content-type-options"] == "nosniff"
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" not in policy
    scratch = context.new_page()
    shown = {}
    for _ in range(40):  # the viewer draws the page within a few seconds
        png = base64.b64encode(page.screenshot()).decode()
        shown = scratch.evaluate(MEASURE, png)
        if shown["toolbar"] > 0.8 and shown["page"] > 0.9:
            break
        page.wait_for_timeout(250)
    context.close()
    assert shown["toolbar"] > 0.8, shown
    assert shown["page"] > 0.9, shown
