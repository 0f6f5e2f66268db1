"""A few DRF views that exercise the error envelope (test URLconf only)."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class EchoInput(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    count = serializers.IntegerField(min_value=0, max_value=1000)
    tags = serializers.DictField(required=False)


class EchoView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        data = EchoInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(data.validated_data)


class BrokenView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret internals: password=hunter2 at alice@example.com")


class OutOfStock(Exception):
    status_code = 409
    error_code = "out_of_stock"

    def __init__(self):
        super().__init__("Nothing left.")
        self.extra = {"available": 0}


class DomainErrorView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise OutOfStock()


urlpatterns = [
    path("api/test/echo", EchoView.as_view()),
    path("api/test/broken", BrokenView.as_view()),
    path("api/test/domain", DomainErrorView.as_view()),
    path("", include("phoenix.urls")),
]
