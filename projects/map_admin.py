"""The map in the project's admin form: the geometry field drawn on a map
(projects/widgets.py). A mixin of `ProjectAdmin`."""

from django.utils.translation import gettext_lazy as _

from .widgets import GeometryWidget

INVALID_JSON = _(
    "Không đọc được GeoJSON: kiểm tra các dấu ngoặc, dấu phẩy và dấu nháy kép, hoặc xóa hết "
    "ô này rồi vẽ lại trên bản đồ."
)


class GeometryMapAdmin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "geometry":
            kwargs["widget"] = GeometryWidget
            kwargs["error_messages"] = {"invalid": INVALID_JSON}
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        # Leaflet-Geoman's stylesheet draws its buttons' icons as data: SVG images.
        response._csp_update = {"img-src": ["data:"]}
        return response
