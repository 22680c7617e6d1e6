from django.urls import path

from . import feeds, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar.ics", views.meeting_calendar, name="calendar"),
    path("feed/rss/", feeds.MeetingFeed(), name="feed_rss"),
    path("feed/atom/", feeds.MeetingAtomFeed(), name="feed_atom"),
    # A meeting is named by its body's code, the term and its number: /meetings/bchtu/xvii/23/
    path("<str:body>/<str:term>/<int:number>/", views.meeting_detail, name="detail"),
]
