"""The API as a whole: the OpenAPI schema is valid and every path in it answers."""

import json
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from openapi_spec_validator import validate

from documents.tests.factories import make_document
from indicators.tests.factories import make_value
from meetings.tests.factories import make_item, make_meeting
from portal import api_rules
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


def test_the_schema_describes_every_field_without_a_guess(tmp_path):
    """drf-spectacular warns when it cannot tell a field's type (a field read from a
    prefetched list, say); `check --deploy` in CI fails on the warning, this test first."""
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_schema_path_answers_a_get(client, one_of_each):
    values = dict(one_of_each)
    paths = schema(client)["paths"]
    assert len(paths) == 12
    for template in paths:
        if template.startswith("/api/periods/{slug}"):
            url = template.replace("{slug}", values["period"])
        elif template.startswith("/api/projects/{slug}"):
            url = template.replace("{slug}", values["project"])
        else:
            url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        response = client.get(url)
        assert response.status_code == 200, url
        geojson = template.endswith("/geojson/")
        expected = "application/geo+json" if geojson else "application/json"
        assert response["Content-Type"] == expected, url


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


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
@pytest.mark.parametrize("url", ["/api/", "/api/documents/", "/api/projects/vanh-dai-4/"])
def test_writes_and_trace_are_405_with_allow(client, one_of_each, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_head_and_options_answer(client, one_of_each):
    assert client.head("/api/documents/").status_code == 200
    assert client.options("/api/documents/").json()["name"]


def test_an_unknown_api_url_is_a_json_404_and_a_page_elsewhere(client):
    response = client.get("/api/nope/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    response = client.get("/api/periods/không-có/")
    assert response.json() == {"detail": "Không tìm thấy."}
    page = client.get("/nope/")
    assert page.status_code == 404
    assert "text/html" in page["Content-Type"]


def test_a_server_error_is_json_under_the_api_only(rf):
    response = api_rules.server_error(rf.get("/api/documents/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "Lỗi máy chủ, xin thử lại sau."}
    page = api_rules.server_error(rf.get("/documents/"))
    assert page.status_code == 500
    assert "text/html" in page["Content-Type"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": ["5", "5"]}, "page_size"),
        ({"page": ["1", "2"]}, "page"),
        ({"headline": "maybe"}, "headline"),
        ({"period": "x" * 101}, "period"),
        ({"category": ["budget", "budget"]}, "category"),
    ],
)
def test_bad_list_parameters_are_400_naming_them(client, one_of_each, params, named):
    response = client.get("/api/indicators/", params)
    assert response.status_code == 400
    assert list(response.json()) == [named]


def test_an_empty_parameter_is_as_absent(client, one_of_each):
    """The browsable API's filter form sends every field, the empty ones too."""
    empty = {"category": "", "period": "", "headline": "", "q": "", "page": "", "page_size": ""}
    assert client.get("/api/indicators/", empty).json()["count"] == 1


def test_a_period_with_no_published_figure_selects_nothing(client, one_of_each):
    for period in (one_of_each["period"], "2099-q1"):
        response = client.get("/api/indicators/", {"period": period})
        assert response.status_code == 200
        assert response.json()["count"] == (1 if period == one_of_each["period"] else 0)


def test_every_operation_documents_its_errors(client):
    document = schema(client)
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert {"200", "400", "404", "429"} <= set(operation["responses"]), path
    errors = document["components"]["schemas"]
    assert errors["Error"]["required"] == ["detail"]
    assert errors["InvalidParameters"]["additionalProperties"]["items"] == {"type": "string"}
    page_size = next(
        p
        for p in document["paths"]["/api/documents/"]["get"]["parameters"]
        if p["name"] == "page_size"
    )
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
