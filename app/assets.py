"""Our static files are named by their content in every URL (`?v=<hash>`), so tablets may keep them for a year
and still get a changed file the moment it changes: one request per page instead of one per file."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _content_hash(folder: str, filename: str) -> str:
    path = Path(folder) / filename
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""


def init_app(app: Flask) -> None:
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None and not app.debug:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR

    @app.url_defaults
    def add_content_hash(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = _content_hash(app.static_folder, values["filename"])
            if version:
                values["v"] = version
