"""Security headers that neither Django nor django-csp sends, on every response.

Django's SecurityMiddleware sends HSTS, `X-Content-Type-Options`, `Referrer-Policy` and
`Cross-Origin-Opener-Policy`; XFrameOptionsMiddleware sends `X-Frame-Options`; django-csp
sends the `Content-Security-Policy` written in settings. This middleware adds the two that
remain:

- `Cross-Origin-Resource-Policy: same-origin`: no other site may load the portal's pages,
  files or attachments as a subresource (an image, a script, an embedded PDF). Links and
  the API read by programs are not affected: the header only governs what a browser lets
  another page embed.
- `Permissions-Policy`: the portal uses no camera, microphone, location, payment or
  device API, so none is granted, to the portal's pages or to anything they might embed.

All of these sit above whitenoise in `MIDDLEWARE`, so static files carry them too.
Each header is only set when the response has none, so a view can still choose its own.
"""

# Features the portal never uses, denied to every origin. Only names that Chromium and
# Firefox recognise: an unknown name costs a console error on every page.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"


class SecurityHeadersMiddleware:
    """Add `Cross-Origin-Resource-Policy` and `Permissions-Policy` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", CROSS_ORIGIN_RESOURCE_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
