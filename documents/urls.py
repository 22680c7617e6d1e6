from django.urls import path

from . import feeds, open_data, views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("lookup/", views.lookup, name="lookup"),
    path("feed/rss/", feeds.DocumentFeed(), name="feed_rss"),
    path("feed/atom/", feeds.DocumentAtomFeed(), name="feed_atom"),
    path("open-data/<str:name>", open_data.open_data, name="open_data"),
    path("<int:year>/<slug:slug>/", views.document_detail, name="detail"),
    path("id/<int:pk>/", views.document_by_id, name="by_id"),
    path("attachments/<uuid:key>/", views.attachment_download, name="attachment"),
]
