from django.urls import path

from narrative import compat

urlpatterns = [
    path("luna/events", compat.LegacyEventView.as_view()),
    path("luna/narrative/<uuid:user_id>", compat.LegacyCapitalView.as_view()),
]
