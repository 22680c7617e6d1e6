"""Documents are found by their issuer's names (`Document.searchable_text`), with or without
diacritics, in the list's `q` and the site search, and still after the issuer is renamed
(`services.refresh_issuer_words`) or once migration 0016 has rebuilt the old rows."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from portal.models import Organization, OrganizationKind
from portal.tests.factories import make_staff
from portal.text import fold

from ..models import Document
from ..services import refresh_issuer_words
from .factories import make_document

pytestmark = pytest.mark.django_db

LIST = reverse("documents:list")
SEARCH = reverse("portal:search")


@pytest.fixture
def bodies():
    """The city's bodies with their real names, each with a document whose title does not
    name it, and one body elsewhere."""
    party = Organization.objects.create(
        code="TU", name="Thành ủy Hà Nội", short_name="Thành ủy", kind=OrganizationKind.PARTY
    )
    council = Organization.objects.create(
        code="HĐND",
        name="Hội đồng nhân dân Thành phố Hà Nội",
        short_name="HĐND Thành phố",
        kind=OrganizationKind.ASSEMBLY,
    )
    elsewhere = Organization.objects.create(
        code="UBND", name="Ủy ban nhân dân tỉnh Bắc Ninh", kind=OrganizationKind.STATE
    )
    return {
        "party": make_document(
            number="341-KH/TU", issuer=party, title="Kế hoạch thực hiện chuyển đổi số năm 2025"
        ),
        "council": make_document(
            number="05/2025/NQ-HĐND",
            issuer=council,
            title="Nghị quyết quy định mức thu học phí",
        ),
        "elsewhere": make_document(
            number="12/KH-UBND", issuer=elsewhere, title="Kế hoạch phòng chống thiên tai"
        ),
    }


def _listed(client, query) -> set[str]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return {document.display for document in response.context["page_obj"]}


def _site_found(client, query) -> set[str]:
    response = client.get(SEARCH, {"q": query})
    groups = {group.kind: group.results for group in response.context["results"].groups}
    return {document.display for document in groups.get("documents", [])}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ha noi", {"341-KH/TU", "05/2025/NQ-HĐND"}),
        ("Hà Nội", {"341-KH/TU", "05/2025/NQ-HĐND"}),
        ("thành ủy", {"341-KH/TU"}),
        ("THANH UY", {"341-KH/TU"}),
        ("hội đồng nhân dân", {"05/2025/NQ-HĐND"}),
        ("hoi dong nhan dan", {"05/2025/NQ-HĐND"}),
        ("bac ninh", {"12/KH-UBND"}),
        ("thành ủy học phí", set()),  # every word, in one document
    ],
)
def test_the_issuers_names_find_its_documents(client, bodies, query, expected):
    assert _listed(client, query) == expected
    assert _site_found(client, query) == expected


def test_renaming_an_issuer_in_the_admin_moves_its_documents_words(client, bodies):
    client.force_login(make_staff("portal.change_organization", "portal.view_organization"))
    council = bodies["council"].issuer
    url = reverse("admin:portal_organization_change", args=[council.pk])
    response = client.post(
        url,
        {
            "code": council.code,
            "name": "Hội đồng nhân dân Thủ đô Hà Nội",
            "short_name": "HĐND Thủ đô",
            "kind": council.kind,
            "parent": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    client.logout()
    assert _listed(client, "thu do") == {"05/2025/NQ-HĐND"}
    assert _listed(client, "hdnd thanh pho") == set()


def test_refresh_rewrites_every_document_of_the_issuer_and_no_other(bodies):
    party = bodies["party"].issuer
    more = [make_document(number=f"{n}-KH/TU", issuer=party) for n in range(400, 430)]
    Organization.objects.filter(pk=party.pk).update(name="Đảng bộ Thành phố Hà Nội")
    party.refresh_from_db()
    assert refresh_issuer_words(party) == 31
    for document in Document.objects.filter(pk__in=[d.pk for d in more]):
        assert "dang bo thanh pho ha noi" in document.search_text
    elsewhere = Document.objects.get(pk=bodies["elsewhere"].pk)
    assert "dang bo" not in elsewhere.search_text


def test_migration_0016_rebuilds_the_words_of_existing_rows(bodies):
    before = {}
    for document in Document.objects.all():  # rows as they were before the migration
        parts = [document.display, document.title, document.summary, document.body]
        before[document.pk] = fold(" ".join(parts))
        Document.objects.filter(pk=document.pk).update(search_text=before[document.pk])
    migration = importlib.import_module("documents.migrations.0016_issuer_names_in_search_text")
    migration.rebuild(apps, SimpleNamespace(connection=connection))
    rebuilt = {d.display: d.search_text for d in Document.objects.all()}
    for document in Document.objects.select_related("issuer"):
        assert rebuilt[document.display] == document.searchable_text()
    assert "thanh uy ha noi" in rebuilt["341-KH/TU"]
    migration.rebuild_without_issuer(apps, SimpleNamespace(connection=connection))
    assert dict(Document.objects.values_list("pk", "search_text")) == before
