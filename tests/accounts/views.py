"""A view that resolves its user the way satellite-facing views do (tests only)."""

from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


class ActingUserView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        user = request.auth.act_for(
            request.query_params.get("user_id"), scope="energy:read"
        )
        return Response({"user_id": str(user.pk), "actor": request.auth.actor})


urlpatterns = [
    path("api/test/acting-user", ActingUserView.as_view()),
    path("", include("phoenix.urls")),
]
