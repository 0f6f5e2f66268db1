"""The project's default permission: a signed-in user, not a service key.

Views that also serve satellite back ends opt in with DRF's
``IsAuthenticated`` and resolve their user through ``request.auth.act_for``.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.principals import Principal


class IsUser(permissions.BasePermission):
    message = _("This endpoint takes a user token, not an API key.")
    code = "user_token_required"

    def has_permission(self, request, view):
        auth = request.auth
        return (
            bool(request.user and request.user.is_authenticated)
            and isinstance(auth, Principal)
            and auth.kind == "user"
        )
