from django.urls import path

from . import feeds, views

app_name = "changes"

urlpatterns = [
    path("", views.change_list, name="list"),
    path("feed/rss/", feeds.ChangeFeed(), name="feed_rss"),
    path("feed/atom/", feeds.ChangeAtomFeed(), name="feed_atom"),
]
