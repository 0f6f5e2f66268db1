from django.urls import path

from luna import compat

urlpatterns = [
    path("luna/chat/send-message", compat.SendMessageView.as_view()),
    path("luna/narrative/start", compat.NarrativeStartView.as_view()),
    path("luna/journal/export", compat.JournalExportView.as_view()),
    path("luna/journal/<str:user_id>", compat.JournalView.as_view()),
]
