"""OpenAPI schema generation tweaks."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema


class AutoSchema(BaseAutoSchema):
    def get_operation_id(self):
        """Prefix the predecessor's routes, whose paths mirror the new ones."""
        operation_id = super().get_operation_id()
        if not self.path.startswith("/api/"):
            return f"legacy_{operation_id}"
        return operation_id
