"""The API's schema (`/api/schema/`): drf-spectacular's, told the rules of
`portal.api_rules` — the errors every operation may answer, and the list parameters as the
filter backend and the pagination read them. `DEFAULT_SCHEMA_CLASS` in portal/settings.py.

Apart from `api_rules` because drf-spectacular's schema class imports DRF's views, which
import `api_rules` while they load.
"""

from django import forms
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .api_rules import MAX_CHOICE_LENGTH, is_open_choice


class FilterBackendSchema(DjangoFilterExtension):
    """The filters' parameters as `FilterBackend` reads them: empty is as absent, a whole
    number has its range, a choice the records decide is a string of bounded length."""

    target_class = "portal.api_rules.FilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None:
            return parameters
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
            declared = filterset_class.base_filters.get(parameter["name"])
            if declared is None:
                continue
            if issubclass(declared.field_class, forms.IntegerField):
                schema = {"type": "integer"}
                for key, bound in (("minimum", "min_value"), ("maximum", "max_value")):
                    if declared.extra.get(bound) is not None:
                        schema[key] = declared.extra[bound]
                parameter["schema"] = schema
            elif is_open_choice(filterset_class, parameter["name"]):
                parameter["schema"] = {"type": "string", "maxLength": MAX_CHOICE_LENGTH}
                described = parameter.get("description")
                parameter["description"] = f"{described or ''} {OPEN_CHOICE_NOTE}".lstrip()
        return parameters


OPEN_CHOICE_NOTE = (
    "A value no public record has selects nothing (an empty list, not an error); "
    f"longer than {MAX_CHOICE_LENGTH} characters is a 400."
)


class Error(serializers.Serializer):
    """An error: a sentence for a person, in the caller's language (vi or en)."""

    detail = serializers.CharField()


class InvalidParameters(serializers.Serializer):
    """A 400: each invalid parameter, named, with what is wrong with it."""


class InvalidParametersSchema(OpenApiSerializerExtension):
    target_class = "portal.api_schema.InvalidParameters"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Each invalid parameter, with what is wrong with it.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"page_size": ["Cần một số nguyên từ 1 đến 100."]},
        }


class Schema(AutoSchema):
    """drf-spectacular's schema, with the answers every operation may give besides 200."""

    def get_response_serializers(self):
        found = super().get_response_serializers()
        responses = dict(found) if isinstance(found, dict) else {200: found}
        responses.setdefault(400, InvalidParameters)
        responses.setdefault(404, Error)
        responses.setdefault(429, Error)
        return responses
