"""Every kind of response carries the security headers that the Mozilla HTTP Observatory
scores A+ over HTTPS, each asserted on its own; the language cookie is varied on.

The score follows the Observatory's published rules, as its current code applies them
(github.com/mdn/mdn-http-observatory: `src/grader/charts.js` for the modifiers,
`src/analyzer/tests/*.js` for what earns each): start at 100, add every modifier, but
count the bonuses only when the score without them is 90 or more. 100 or more is A+.
The requests are made over HTTPS with the settings production computes
(DJANGO_SECURE_HTTPS on), so HSTS and the cookies' Secure flag are what a visitor gets.
"""

import re
import runpy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from portal.headers import DENIED_FEATURES

from .every_page import DOCX, make_records, make_superuser, other_responses, public_pages

pytestmark = pytest.mark.django_db

SIX_MONTHS = 15_552_000  # the Observatory's threshold for HSTS max-age
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
BROAD_SOURCES = {
    "*",
    "http:",
    "https:",
    "ftp:",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
}


@pytest.fixture
def production_https(settings, monkeypatch):
    """The HTTPS settings as portal/settings.py computes them for production, and static
    files answered by whitenoise (from the finders: tests run without collectstatic)."""
    monkeypatch.setenv("DJANGO_DEBUG", "false")
    monkeypatch.setenv("DJANGO_SECURE_HTTPS", "true")
    for name in ("DJANGO_HSTS_SECONDS", "DJANGO_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_HSTS_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    production = runpy.run_path(str(Path(settings.BASE_DIR) / "portal" / "settings.py"))
    for name, value in production.items():
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_")):
            setattr(settings, name, value)
    settings.PORTAL_SECURITY_CONTACT = ["mailto:security@portal.example.gov.vn"]
    settings.WHITENOISE_USE_FINDERS = True
    settings.PORTAL_RATES = {"search": "", "download": "", "api": ""}


@pytest.fixture
def records():
    return make_records()


def parse_csp(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in header.split(";"):
        name, *sources = directive.strip().lower().split()
        policy.setdefault(name, sources)
    return policy


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.sources.append((attributes["src"], attributes.get("integrity")))


def _csp_modifier(header: str | None) -> int:
    if header is None:
        return -25
    csp = parse_csp(header)
    default = csp.get("default-src")
    script = set(csp.get("script-src") or default or ["*"])
    objects = set(csp.get("object-src") or default or ["*"])
    style = set(csp.get("style-src") or default or ["*"])
    for sources in (script, style):
        if any(s.startswith(("'nonce-", "'sha")) for s in sources):
            sources.discard("'unsafe-inline'")
    passive_names = {"img-src", "media-src"}
    active = [s for name, values in csp.items() if name not in passive_names for s in values]
    passive = [s for name in passive_names for s in csp.get(name) or default or []]
    unsafe = BROAD_SOURCES | {"'unsafe-inline'", "data:"}
    unsafe_script = bool(script & unsafe or objects & BROAD_SOURCES)
    insecure_active = any(s.startswith(("http:", "ftp:")) for s in active)
    unsafe_eval = "'unsafe-eval'" in script | style
    insecure_passive = any(s.startswith(("http:", "ftp:")) for s in passive)
    if unsafe_script or insecure_active:
        return -20
    if unsafe_eval or insecure_passive:
        return -10
    if style & unsafe:
        return 0
    return 10 if default == ["'none'"] else 5


def observatory(response, host: str = "testserver") -> tuple[int, dict[str, int]]:
    """The Observatory's score of one HTTPS response, and each test's modifier."""
    headers = response.headers
    modifiers = {}

    # Content Security Policy (analyzer/tests/csp.js).
    modifiers["csp"] = _csp_modifier(headers.get("Content-Security-Policy"))

    # Cookies (analyzer/tests/cookies.js): session cookies are those named *sess* or *login*.
    hsts = "Strict-Transport-Security" in headers
    cookie_penalties = [0]
    for name, morsel in response.cookies.items():
        session = "sess" in name.lower() or "login" in name.lower()
        if not morsel["secure"]:
            cookie_penalties.append(-5 if hsts else -20)
            if session:
                cookie_penalties.append(-10 if hsts else -40)
        if "csrf" in name.lower() and not morsel["samesite"]:
            cookie_penalties.append(-20)
        if session and not morsel["httponly"]:
            cookie_penalties.append(-30)
        if morsel["samesite"] and morsel["samesite"].lower() not in {"lax", "strict", "none"}:
            cookie_penalties.append(-20)
    if min(cookie_penalties) < 0:
        modifiers["cookies"] = min(cookie_penalties)
    elif response.cookies:
        modifiers["cookies"] = 5 if all(m["samesite"] for m in response.cookies.values()) else 0
    else:
        modifiers["cookies"] = 0

    # CORS (analyzer/tests/cors.js): credentials for any origin is the only penalty.
    allowed = headers.get("Access-Control-Allow-Origin")
    credentials = headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    modifiers["cors"] = -50 if allowed and allowed != "*" and credentials else 0

    # Referrer-Policy (analyzer/tests/referrer-policy.js): the last valid value counts.
    if "Referrer-Policy" not in headers:
        modifiers["referrer-policy"] = 0
    else:
        last = headers["Referrer-Policy"].split(",")[-1].strip().lower()
        modifiers["referrer-policy"] = 5 if last in PRIVATE_REFERRER else -5

    # HSTS (analyzer/tests/strict-transport-security.js); the preload-list bonus is left
    # out: it depends on a list, not on the response.
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if match is None:
        modifiers["hsts"] = -20
    else:
        modifiers["hsts"] = 0 if int(match[1]) >= SIX_MONTHS else -10

    # Subresource Integrity (analyzer/tests/subresource-integrity.js): HTML only.
    modifiers["sri"] = 0
    if headers.get("Content-Type", "").startswith("text/html") and not response.streaming:
        parser = _Scripts()
        parser.feed(response.content.decode())
        for src, integrity in parser.sources:
            url = urlsplit(src)
            if url.netloc and url.netloc != host:
                secure = url.scheme == "https"
                if not secure:
                    modifiers["sri"] = -20 if integrity else -50
                elif integrity:
                    modifiers["sri"] = max(modifiers["sri"], 5)
                else:
                    modifiers["sri"] = min(modifiers["sri"], -5)

    # X-Content-Type-Options, X-Frame-Options (frame-ancestors counts instead), CORP.
    modifiers["x-content-type-options"] = (
        0 if headers.get("X-Content-Type-Options", "").lower() == "nosniff" else -5
    )
    if "frame-ancestors" in parse_csp(headers.get("Content-Security-Policy", "x")):
        modifiers["x-frame-options"] = 5
    elif headers.get("X-Frame-Options", "").lower() in {"deny", "sameorigin"}:
        modifiers["x-frame-options"] = 0
    else:
        modifiers["x-frame-options"] = -20
    corp = headers.get("Cross-Origin-Resource-Policy", "").lower()
    modifiers["cross-origin-resource-policy"] = {
        "": 0,
        "same-origin": 10,
        "same-site": 10,
        "cross-origin": 0,
    }.get(corp, -5)

    uncurved = 100 + sum(m for m in modifiers.values() if m < 0)
    score = 100 + sum(modifiers.values()) if uncurved >= 90 else uncurved
    return score, modifiers


def assert_security_headers(response, *, csp_form_action=("'self'",)):
    """Each header of the A+ set, with the value the portal promises."""
    headers = response.headers
    csp = parse_csp(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == list(csp_form_action)
    assert csp.get("object-src", csp["default-src"]) == ["'none'"]
    for sources in csp.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(
        feature.strip().split("=", 1) for feature in headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()"
    assert set(permissions) == set(DENIED_FEATURES)
    assert "Access-Control-Allow-Origin" not in headers


def fetch(client, url, **extra):
    """GET over HTTPS from a page of another site; the body is read into `.body` (which
    closes a streamed answer: the test client does it without closing the database)."""
    response = client.get(url, secure=True, HTTP_ORIGIN="https://evil.example", **extra)
    response.body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return response


def _every_url(records):
    return public_pages(records) | other_responses(records)


@pytest.mark.usefixtures("production_https")
def test_every_response_type_scores_a_plus_with_each_header(client, records):
    scores = {}
    for name, url in _every_url(records).items():
        response = fetch(client, url)
        assert response.status_code == (404 if name == "not found" else 200), name
        try:
            if name.endswith("attachment"):
                assert_security_headers(response, csp_form_action=("'none'",))
            else:
                assert_security_headers(response)
        except AssertionError as error:
            raise AssertionError(f"{name} ({url}): {error}") from error
        score, modifiers = observatory(response)
        assert score >= 100, f"{name} ({url}) scores {score}: {modifiers}"
        assert min(modifiers.values()) >= 0, f"{name} ({url}): {modifiers}"
        scores[name] = score
    # No cookie on an anonymous page; the bonuses: CSP 10, Referrer 5, frame-ancestors 5,
    # CORP 10. A page that sets a cookie earns 5 more when all of them carry SameSite.
    assert set(scores.values()) <= {130, 135}, scores


@pytest.mark.usefixtures("production_https")
def test_static_files_answered_by_whitenoise_carry_the_same_headers(client):
    response = fetch(client, "/static/css/portal.css")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "Last-Modified" in response.headers  # whitenoise's answer, not a view's
    assert_security_headers(response)
    assert observatory(response)[0] == 130


@pytest.mark.usefixtures("production_https")
def test_cookies_the_portal_sets_are_secure_httponly_where_private_and_samesite(client):
    """The three cookies: the language choice, the CSRF token (admin sign-in form) and the
    staff session. Each must earn the Observatory's cookie bonus."""
    make_superuser()
    language = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, secure=True, HTTP_REFERER="/"
    )
    login_form = client.get(reverse("admin:login"), secure=True)
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "quantri", "password": "x", "next": "/admin/"},
        secure=True,
    )

    cookies = {
        "django_language": language.cookies["django_language"],
        "csrftoken": login_form.cookies["csrftoken"],
        "sessionid": signed_in.cookies["sessionid"],
    }
    for name, morsel in cookies.items():
        assert morsel["secure"], name
        assert morsel["samesite"] == "Lax", name
    assert cookies["django_language"]["httponly"]
    assert cookies["sessionid"]["httponly"]
    for response in (language, login_form, signed_in):
        score, modifiers = observatory(response)
        assert modifiers["cookies"] == 5, modifiers
        assert score == 135


@pytest.mark.usefixtures("production_https")
def test_plain_http_redirects_to_https_on_the_same_host_first(client):
    response = client.get("/documents/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/documents/?page=2"


@pytest.mark.usefixtures("production_https")
def test_security_txt_follows_rfc_9116(client, settings):
    settings.PORTAL_SECURITY_CONTACT = [
        "mailto:security@portal.example.gov.vn",
        "https://portal.example.gov.vn/pages/bao-loi/",
    ]

    response = client.get("/.well-known/security.txt", secure=True)

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert fields[:2] == [
        ["Contact", "mailto:security@portal.example.gov.vn"],
        ["Contact", "https://portal.example.gov.vn/pages/bao-loi/"],
    ]
    values = dict(fields)
    assert values["Preferred-Languages"] == "vi, en"
    assert values["Canonical"] == "https://testserver/.well-known/security.txt"
    assert [name for name, _value in fields].count("Expires") == 1


def test_security_txt_expires_within_a_year_and_is_never_stale(client, settings):
    import datetime

    settings.PORTAL_SECURITY_CONTACT = ["mailto:security@portal.example.gov.vn"]
    today = datetime.datetime.now(datetime.UTC)

    body = client.get("/.well-known/security.txt").content.decode()

    expires = re.search(r"^Expires: (\S+)$", body, re.MULTILINE)[1]
    moment = datetime.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    assert today + datetime.timedelta(days=300) < moment < today + datetime.timedelta(days=365)


def test_without_a_contact_there_is_no_security_txt(client, settings):
    settings.PORTAL_SECURITY_CONTACT = []

    assert client.get("/.well-known/security.txt").status_code == 404


def test_check_deploy_warns_when_the_security_contact_is_missing(settings):
    from django.core.checks import run_checks

    settings.PORTAL_SECURITY_CONTACT = []
    warned = [m.id for m in run_checks(include_deployment_checks=True)]
    settings.PORTAL_SECURITY_CONTACT = ["mailto:security@portal.example.gov.vn"]
    quiet = [m.id for m in run_checks(include_deployment_checks=True)]

    assert "portal.W001" in warned
    assert "portal.W001" not in quiet


def test_swagger_ui_loads_no_validator_badge_from_a_third_party(client):
    script = client.get("/api/docs/?script=")

    assert script["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in script.content.decode()


def test_pdfs_open_inline_and_inert_office_files_download_sandboxed(client, records):
    """docs/headers.md, "PDF attachments": no `sandbox` on a PDF, which Chrome's viewer may
    refuse; nothing it could load or submit either way."""
    pdf = fetch(client, records.pdf.get_absolute_url())
    docx = fetch(client, records.docx.get_absolute_url())

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline;")
    assert docx["Content-Type"] == DOCX
    assert docx["Content-Disposition"].startswith("attachment;")
    for response in (pdf, docx):
        assert response["X-Content-Type-Options"] == "nosniff"
        policy = parse_csp(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"]
        assert policy["form-action"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
    assert "sandbox" not in parse_csp(pdf["Content-Security-Policy"])
    assert "sandbox" in parse_csp(docx["Content-Security-Policy"])
    with records.pdf.file.open("rb") as stored:
        assert pdf.body == stored.read()


def _language_dependent(records) -> dict[str, str]:
    """Answers whose words follow the language cookie: labels, headings, feed and calendar
    titles, column names, the API's labels, error messages and schema descriptions."""
    urls = _every_url(records)
    names = ["home", "document", "meeting", "indicator", "project", "person", "search"]
    names += ["documents RSS", "documents Atom", "meetings RSS", "meetings Atom"]
    names += ["calendar", "indicator CSV", "API schema"]
    api_indicator = reverse("api:indicators-detail", kwargs={"code": records.indicator.code})
    return {name: urls[name] for name in names} | {
        "indicators JSON": reverse("indicators:list") + "?format=json",
        "API projects": reverse("api:projects-list") + "?format=json",
        "API indicator": api_indicator + "?format=json",
        "API refusal": reverse("api:documents-list") + "?format=json&year=abc",
    }


def _varies_on_cookie(response) -> bool:
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    return "cookie" in vary and "accept-language" not in vary


def test_answers_in_the_cookies_language_say_so_and_vary_on_the_cookie(client, settings, records):
    """A shared cache keeps one copy per Vary: without `Cookie` there, it would hand one
    reader's language to the next. Accept-Language is never read, so never varied on.
    A public page's English is at its `/en/` address, where the cookie sends its reader;
    the API answers in the cookie's language at its one address (docs/languages.md)."""
    settings.PORTAL_RATES = {"search": "", "download": "", "api": ""}
    for name, url in _language_dependent(records).items():
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        vietnamese = fetch(client, url)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = fetch(client, url)
        if not url.startswith("/api/"):
            assert english.status_code == 302, name
            assert english["Location"] == f"/en{url}", name
            assert _varies_on_cookie(english), f"{name}: Vary: {english.get('Vary')}"
            client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
            english = fetch(client, english["Location"])

        assert english.status_code == vietnamese.status_code, name
        assert vietnamese.body != english.body, name
        assert (vietnamese["Content-Language"], english["Content-Language"]) == ("vi", "en")
        assert _varies_on_cookie(vietnamese), f"{name}: Vary: {vietnamese.get('Vary')}"
        assert _varies_on_cookie(english), f"{name}: Vary: {english.get('Vary')}"


def test_every_answer_below_the_language_choice_varies_on_the_cookie(client, settings, records):
    """Downloads, the API's lists and the rest, whether or not today's words change."""
    settings.PORTAL_RATES = {"search": "", "download": "", "api": ""}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = _every_url(records)
    with translation.override("en"):  # and at their English addresses
        urls |= {f"{name} (/en/)": url for name, url in _every_url(records).items()}
    del urls["static file"], urls["static file (/en/)"]  # whitenoise, above the choice
    for name, url in urls.items():
        assert _varies_on_cookie(fetch(client, url)), name
