from django.urls import path

from luna import api

urlpatterns = [
    path("api/luna/chat", api.ChatView.as_view(), name="luna-chat"),
    path(
        "api/luna/conversations",
        api.ConversationListView.as_view(),
        name="luna-conversations",
    ),
    path(
        "api/luna/conversations/<uuid:conversation_id>",
        api.ConversationDetailView.as_view(),
        name="luna-conversation",
    ),
    path("api/luna/progress", api.ProgressView.as_view(), name="luna-progress"),
    path("api/luna/journal", api.JournalView.as_view(), name="luna-journal"),
    path("api/luna/onboarding", api.OnboardingView.as_view(), name="luna-onboarding"),
    path("api/luna/goals", api.GoalListView.as_view(), name="luna-goals"),
    path(
        "api/luna/goals/<uuid:goal_id>", api.GoalDetailView.as_view(), name="luna-goal"
    ),
]
