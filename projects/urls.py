from django.urls import path

from . import feeds, map_views, views

app_name = "projects"

urlpatterns = [
    path("", views.object_list, name="list"),
    path("feed/rss/", feeds.ProgressFeed(), name="feed_rss"),
    path("feed/atom/", feeds.ProgressAtomFeed(), name="feed_atom"),
    path("map/", map_views.project_map, name="map"),
    path("<slug:slug>/", views.object_detail, name="detail"),
]
