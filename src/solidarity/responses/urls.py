from django.urls import path

from solidarity.responses import views

app_name = "responses"
urlpatterns = [
    path("", views.response_list, name="list"),
    path("notifications/", views.notifications, name="notifications"),
    path("draft/<uuid:incident_code>/", views.draft, name="draft"),
    path("<uuid:code>/", views.response_detail, name="detail"),
    path("<uuid:code>/edit/", views.edit, name="edit"),
    path("<uuid:code>/details/", views.details, name="details"),
    path("<uuid:code>/language/", views.add_language, name="add-language"),
    path("<uuid:code>/diff/", views.diff, name="diff"),
    path("<uuid:code>/versions/<int:number>/comments/", views.comment, name="comment"),
    path("<uuid:code>/invite/", views.invite, name="invite"),
    path("<uuid:code>/approve/", views.approve, name="approve"),
    path("<uuid:code>/publish/", views.publish, name="publish"),
    path("<uuid:code>/note/", views.note, name="note"),
    path("comments/<uuid:code>/resolve/", views.comment_resolve, name="comment-resolve"),
    path("invitations/<uuid:code>/answer/", views.answer, name="answer"),
]
