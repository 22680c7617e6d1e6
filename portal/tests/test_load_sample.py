"""`manage.py load_sample`: a year of invented records of every kind, a banner on every page
while they exist, and `--remove` taking out exactly them — never the demo's rows nor what
staff entered, even on a sample record."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from changes.models import PublicChange
from documents.models import Document, DocumentRelation
from documents.tests.factories import make_document
from indicators.models import Indicator, Value
from meetings.models import AgendaItem, Meeting, Vote
from portal import sample
from portal.models import Organization, Person
from projects.models import Milestone, ProgressUpdate, Project, ProjectChange

pytestmark = pytest.mark.django_db

BANNER = "Dữ liệu mẫu"
MODELS = [
    Organization,
    Person,
    Document,
    DocumentRelation,
    Meeting,
    AgendaItem,
    Vote,
    Indicator,
    Value,
    Project,
    ProgressUpdate,
    Milestone,
    ProjectChange,
    PublicChange,
]


@pytest.fixture(autouse=True)
def _no_sample_flag_left():
    """The flag lives in the process-wide cache; the database is rolled back after each
    test, so the flag is set back to what the next test's database holds: nothing."""
    yield
    sample.remember(False)


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_sample", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model._base_manager.count() for model in MODELS}


def test_loads_a_year_of_every_kind_once():
    run()
    loaded = counts()

    documents = Document.objects.published().public()
    assert documents.count() >= 250
    assert documents.filter(type_code="KL").count() >= 20
    assert documents.filter(number__contains="/2026/NQ-HĐND").exists()
    assert DocumentRelation.objects.count() >= 40
    assert Meeting.objects.published().exclude(date=None).count() >= 25
    tallied = Vote.objects.exclude(votes_for=None).exclude(total=None)
    assert tallied.count() >= 60
    assert tallied.filter(result="rejected").exists()  # not every question carries
    assert Indicator.objects.published().count() == 8
    assert Value.objects.filter(vintage="preliminary").count() >= 8 * 11
    assert Value.objects.filter(vintage="official").count() >= 8 * 9
    assert Project.objects.published().count() == 11
    assert ProgressUpdate.objects.count() >= 150
    assert Milestone.objects.exclude(actual_on=None).exists()
    # Valid as staff would enter them: number against type, issuer, system; no duplicate.
    for document in sample.made_by_sample(Document.objects.order_by("pk"))[::8]:
        document.full_clean()

    run()

    assert counts() == loaded


def test_pages_show_the_sample_and_the_banner(client, django_assert_max_num_queries):
    run()
    document = Document.objects.published().public().order_by("-issued_on", "-pk").first()
    meeting = Meeting.objects.published().filter(votes__votes_for__isnull=False).first()
    project = Project.objects.published().first()
    indicator = Indicator.objects.published().first()

    for address, shown in [
        ("/", BANNER),
        ("/documents/", document.display),
        (document.get_absolute_url(), document.title),
        ("/meetings/", meeting.title),
        (meeting.get_absolute_url(), meeting.title),
        ("/indicators/", indicator.name),
        (indicator.get_absolute_url(), indicator.name),
        ("/projects/", project.name),
        (project.get_absolute_url(), project.name),
        ("/search/?q=v%C3%A0nh+%C4%91ai", BANNER),
    ]:
        html = client.get(address).content.decode()
        assert BANNER in html, address
        assert shown in html, address
    with django_assert_max_num_queries(0):  # the flag comes from the cache
        assert sample.is_loaded() is True


def test_no_banner_without_sample(client):
    call_command("load_demo", stdout=io.StringIO())
    sample.remember(sample.in_database())

    assert BANNER not in client.get("/").content.decode()


def test_remove_takes_out_only_the_sample(client):
    call_command("load_demo", stdout=io.StringIO())
    demo = counts()
    staff_document = make_document(
        number="999-KH/TU", title="Kế hoạch do cán bộ nhập, không phải dữ liệu mẫu"
    )
    run()
    # Staff work on a sample record: a progress update on a sample project.
    project = sample.made_by_sample(Project.objects.all()).first()
    staff_update = ProgressUpdate.objects.create(
        project=project, date=datetime.date(2026, 12, 5), physical_percent=Decimal("61.5")
    )

    out = run("--remove")

    assert "kept" in out and project.name in out
    assert Project.objects.filter(pk=project.pk).exists()  # staff's update needs it
    assert PublicChange.objects.of_record(project).exists()  # and its history stays
    assert BANNER in client.get("/").content.decode()  # so the sample is still there
    staff_update.delete()

    run("--remove")

    assert not Project.objects.filter(pk=project.pk).exists()
    assert Document.objects.filter(pk=staff_document.pk).exists()
    assert counts() == demo | {"Document": demo["Document"] + 1}
    assert BANNER not in client.get("/").content.decode()

    run("--remove")  # nothing left to remove: harmless

    assert counts() == demo | {"Document": demo["Document"] + 1}
