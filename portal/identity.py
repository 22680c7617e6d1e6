"""The deploying city's identity, read from the environment once at start-up: its logo,
its contact block and its footer links (README, "Configuration"). A value that cannot be
shown is refused at start-up, not at the first page."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def checked_logo(value: str) -> str:
    """`PORTAL_LOGO` as set: an `https://` URL, a path from the site's root
    (`/media/logo.png`) or a static file (`img/logo.svg`); "" for no logo."""
    value = value.strip()
    if value and not _is_address(value) and (":" in value or value.startswith("/")):
        raise ImproperlyConfigured(
            f"PORTAL_LOGO={value!r}: write an https:// URL, a path such as /media/logo.png, "
            "or a static file such as img/logo.svg."
        )
    return value


def logo_address(value: str) -> str:
    """The address of the logo `checked_logo` accepted: a static file's is its static URL."""
    if not value or _is_address(value):
        return value
    return static(value)


def logo_origin(value: str) -> str | None:
    """The origin the Content-Security-Policy must allow images from for this logo, when
    it is on another site."""
    value = value.strip()
    if not value.startswith("https://"):
        return None
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}"


def footer_links(value: str, variable: str = "PORTAL_FOOTER_LINKS") -> list[Link]:
    """`Label|https://…;Label|/path/` as links, in that order."""
    links = []
    for entry in value.split(";"):
        if not entry.strip():
            continue
        label, bar, url = entry.rpartition("|")
        label, url = label.strip(), url.strip()
        if not bar or not label or not _is_address(url, http_too=True):
            raise ImproperlyConfigured(
                f"{variable}: {entry.strip()!r} is not “Label|URL”; separate links with “;”, "
                "e.g. Cổng Chính phủ|https://chinhphu.vn;Liên hệ|/trang/lien-he/"
            )
        links.append(Link(label, url))
    return links


def _is_address(value: str, http_too: bool = False) -> bool:
    schemes = ("https://", "http://", "mailto:", "tel:") if http_too else ("https://",)
    if value.startswith(schemes):
        return bool(urlsplit(value).netloc or value.startswith(("mailto:", "tel:")))
    return value.startswith("/") and not value.startswith("//")
