"""The API as a whole: the OpenAPI schema is valid and every path in it answers."""

import re

import pytest
import yaml
from django.urls import reverse
from openapi_spec_validator import validate

from documents.tests.factories import make_document
from indicators.tests.factories import make_value
from meetings.tests.factories import make_item, make_meeting
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each():
    document = make_document(number="341-KH/TU")
    meeting = make_meeting(number=23)
    make_item(meeting).documents.add(document)
    value = make_value()
    project = make_project(slug="vanh-dai-4")
    return {
        "year": str(document.url_year),
        "slug": document.slug,
        "body": "bchtu",
        "term": "xvii",
        "number": str(meeting.number),
        "code": value.indicator.code,
        "period": value.period.slug,
        "project": project.slug,
    }


def schema(client) -> dict:
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(client):
    document = schema(client)
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_schema_path_answers_a_get(client, one_of_each):
    values = dict(one_of_each)
    paths = schema(client)["paths"]
    assert len(paths) == 10
    for template in paths:
        if template.startswith("/api/periods/{slug}"):
            url = template.replace("{slug}", values["period"])
        elif template.startswith("/api/projects/{slug}"):
            url = template.replace("{slug}", values["project"])
        else:
            url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json", url


def test_root_lists_the_endpoints_and_the_browsable_page_renders(client):
    data = client.get("/api/", HTTP_ACCEPT="application/json").json()
    assert set(data) == {
        "documents",
        "meetings",
        "indicators",
        "periods",
        "projects",
        "schema",
        "docs",
    }
    page = client.get("/api/documents/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert "text/html" in page["Content-Type"]
    assert "Document" in page.content.decode()


def test_swagger_ui_uses_local_files_only(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(not source.startswith(("http:", "https:", "//")) for source in sources)


def test_the_api_has_no_writes(client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/documents/")
        assert response.status_code in (403, 405)
