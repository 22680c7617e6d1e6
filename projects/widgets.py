"""The admin's map for a project's geometry: staff draw a point or lines on a map
(static/js/geometry-widget.js, with the vendored Leaflet-Geoman) instead of typing GeoJSON.

The GeoJSON textarea stays under the map: it is what the form sends, the script only
writes into it, and without JavaScript staff still type GeoJSON there. Whatever arrives is
checked by `projects.geometry.validate_geometry` as before.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .maps import map_data


class GeometryWidget(forms.Textarea):
    template_name = "projects/widgets/geometry.html"

    class Media:
        css = {
            "all": [
                "vendor/leaflet/leaflet.css",
                "vendor/leaflet-geoman/leaflet-geoman.css",
                "css/project-map.css",
            ]
        }
        js = [
            "vendor/leaflet/leaflet.js",
            "vendor/leaflet-geoman/leaflet-geoman.min.js",
            "js/project-map.js",
            "js/geometry-widget.js",
        ]

    def __init__(self, attrs=None):
        super().__init__({"rows": 4, "cols": 80, **(attrs or {})})

    def format_value(self, value):
        # No shape is an empty box, not the word `null`; both are read back as none.
        return "" if value in (None, "null") else super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        data = map_data({"type": "FeatureCollection", "features": []})
        data["messages"] = {
            "mixed": str(
                _("Một dự án có một điểm, hoặc một hay nhiều đường: hình vừa vẽ thay cho hình cũ.")
            ),
            "unreadable": str(_("Ô GeoJSON chưa đọc được; bản đồ giữ hình đang vẽ.")),
        }
        data["geoman"] = geoman_words()
        context["map"] = data
        context["map_id"] = f"{context['widget']['attrs']['id']}-map-data"
        return context


def geoman_words() -> dict:
    """Leaflet-Geoman's words for the buttons and steps the widget offers (it has no
    Vietnamese of its own); the English ones are its own."""
    return {
        "tooltips": {
            "placeMarker": str(_("Bấm vào bản đồ để đặt điểm")),
            "firstVertex": str(_("Bấm để đặt điểm đầu của đường")),
            "continueLine": str(_("Bấm để vẽ tiếp")),
            "finishLine": str(_("Bấm vào một điểm đã vẽ để kết thúc")),
        },
        "actions": {
            "finish": str(_("Xong")),
            "cancel": str(_("Hủy")),
            "removeLastVertex": str(_("Xóa điểm vừa vẽ")),
        },
        "buttonTitles": {
            "drawMarkerButton": str(_("Vẽ một điểm")),
            "drawLineButton": str(_("Vẽ một đường")),
            "editButton": str(_("Sửa các đỉnh")),
            "dragButton": str(_("Kéo hình")),
            "deleteButton": str(_("Xóa hình")),
        },
    }
