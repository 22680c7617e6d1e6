import pytest
from django.db import IntegrityError

from portal.models import Page
from portal.publication import PublicationStatus, set_status

from .factories import make_page

pytestmark = pytest.mark.django_db


def test_published_lists_only_published_records():
    shown = make_page(status=PublicationStatus.PUBLISHED)
    make_page(status=PublicationStatus.DRAFT)
    make_page(status=PublicationStatus.ARCHIVED)
    assert list(Page.objects.published()) == [shown]


def test_publishing_stamps_the_time_and_records_history():
    page = make_page(status=PublicationStatus.DRAFT)
    assert page.published_at is None

    assert set_status(Page.objects.filter(pk=page.pk), PublicationStatus.PUBLISHED) == 1

    page.refresh_from_db()
    assert page.is_published
    assert page.published_at is not None
    assert [h.status for h in page.history.all()] == ["published", "draft"]


def test_setting_the_same_status_again_changes_nothing():
    page = make_page(status=PublicationStatus.PUBLISHED)
    assert set_status([page], PublicationStatus.PUBLISHED) == 0
    assert page.history.count() == 1


def test_database_refuses_an_unknown_status():
    page = make_page()
    with pytest.raises(IntegrityError):
        Page.objects.filter(pk=page.pk).update(status="secret")


def test_database_refuses_published_without_a_date():
    page = make_page()
    with pytest.raises(IntegrityError):
        Page.objects.filter(pk=page.pk).update(published_at=None)
