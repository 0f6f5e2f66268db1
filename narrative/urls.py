from django.urls import path

from narrative import api

urlpatterns = [
    path("api/narrative/events", api.EventsView.as_view(), name="narrative-events"),
    path(
        "api/narrative/events/batch",
        api.EventBatchView.as_view(),
        name="narrative-events-batch",
    ),
    path("api/narrative/capital", api.CapitalView.as_view(), name="narrative-capital"),
]
