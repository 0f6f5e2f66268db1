"""Project-level API endpoints."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


@extend_schema(
    tags=["health"],
    responses={
        200: inline_serializer("Pong", {"ok": serializers.BooleanField()}),
    },
    summary="Authenticated no-op: checks credentials, touches nothing",
    description="Useful to test a token or an API key, and as the baseline that "
    "the benchmarks in bench/ compare real endpoints with.",
)
class PingView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})
