"""Text answers (HTML, CSS, JavaScript, JSON, SVG) compressed by the app itself, so that the default deployment,
with no reverse proxy in front, sends a pupil's first page in about 25 KB instead of 85 KB."""

from flask import Flask, Response

from app.extensions import compress

SETTINGS = {
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                           "image/svg+xml"],
    # Brotli when the browser offers it (browsers do over HTTPS only), gzip otherwise; never deflate, which
    # browsers and servers have long disagreed on. Static files are sent as streams: the same choice there.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 5,  # the library's 4 sends more than gzip's 6 for htmx and our CSS; 5 less, for as much work
    "COMPRESS_MIN_SIZE": 500,  # below it, the gzip header and the work cost more than they save
    "COMPRESS_REGISTER": False,  # compress_text below decides which answers reach the library
}


def compress_text(response: Response) -> Response:
    """Only a whole 200 answer: a 206 is a range of the uncompressed file (the library leaves 3xx to 5xx alone)."""
    if response.status_code != 200:
        response.vary.add("Accept-Encoding")
        return response
    return compress.after_request(response)


def init_app(app: Flask) -> None:
    if not app.config["COMPRESS_RESPONSES"]:
        return
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    compress.init_app(app)
    app.after_request(compress_text)
