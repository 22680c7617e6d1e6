"""`/sitemap.xml`: every page an anonymous visitor may read (published and public only)."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse

from documents.models import Document
from indicators.models import Indicator
from meetings.models import Meeting, Term
from projects.models import Project

from .conditional import last_change, unless_modified
from .models import Organization, Page, Person


class ListsSitemap(Sitemap):
    """The home page and the list page of every area."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "portal:home",
            "documents:list",
            "meetings:list",
            "indicators:list",
            "projects:list",
        ]

    def location(self, item):
        return reverse(item)


class DocumentSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Document.objects.published()
            .public()
            .only("url_year", "slug", "published_at")
            .order_by("pk")
        )

    def lastmod(self, document):
        return document.published_at


class MeetingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Meeting.objects.published().select_related("term__body").order_by("pk")


class IndicatorSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Indicator.objects.published().only("code").order_by("pk")


class ProjectSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Project.objects.published().only("slug").order_by("pk")


class PersonSitemap(Sitemap):
    """Officials' pages are public as soon as they exist (people are not drafts)."""

    changefreq = "monthly"

    def items(self):
        return Person.objects.only("slug").order_by("pk")


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug").order_by("pk")


SITEMAPS = {
    "lists": ListsSitemap,
    "documents": DocumentSitemap,
    "meetings": MeetingSitemap,
    "indicators": IndicatorSitemap,
    "projects": ProjectSitemap,
    "people": PersonSitemap,
    "pages": PageSitemap,
}


def _changed(request, **kwargs):
    """The records listed, and the terms and bodies a meeting's address names."""
    return last_change(Document, Meeting, Term, Organization, Indicator, Project, Person, Page)


# Crawlers that send back the ETag or date of their last copy get 304 until a change.
sitemap_xml = unless_modified(_changed)(sitemap)
