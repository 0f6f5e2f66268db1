"""How the authentication classes appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.JWTAuthentication"
    name = ["bearerAuth", "cookieAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            {
                "type": "apiKey",
                "in": "cookie",
                "name": "phoenix_access",
                "description": "Browsers: HttpOnly cookie set by login with "
                "mode=cookie; unsafe methods also need the X-CSRFToken header.",
            },
        ]


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Satellite back ends: `Api-Key <key>`. Act for a user "
            "by naming `user_id`, within the key's scopes.",
        }
