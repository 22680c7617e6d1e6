from django.urls import path

from . import feeds, views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="list"),
    path("feed/rss/", feeds.FigureFeed(), name="feed_rss"),
    path("feed/atom/", feeds.FigureAtomFeed(), name="feed_atom"),
    path("<slug:code>.csv", views.indicator_csv, name="csv"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
]
