"""The app compresses its text answers for a browser that accepts it, and nothing else changes: the same page once
decoded, the same security headers, static files revalidated without mixing encodings, downloads as they were."""

import gzip
import json
import re
from pathlib import Path

import brotli
import pytest
from flask import Response, stream_with_context

from app.authz import public
from app.compression import SETTINGS
from app.extensions import db
from app.services import register
from tests.conftest import app_configured

GZIP = {"Accept-Encoding": "gzip, deflate"}
SIGNED_TOKEN = re.compile(r"I[\w-]{40,}\.[\w-]+\.[\w-]+")  # the CSRF token: signed anew every second


def same_page(html: str) -> str:
    return SIGNED_TOKEN.sub("(token)", html)


def varies_on_encoding(response) -> bool:
    return "accept-encoding" in {name.strip().lower() for name in response.headers.get("Vary", "").split(",")}


def test_a_page_asked_with_gzip_comes_back_gzip_and_decodes_to_the_same_html(client):
    plain = client.get("/")
    packed = client.get("/", headers=GZIP)
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert varies_on_encoding(packed) and varies_on_encoding(plain)
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert same_page(gzip.decompress(packed.data).decode()) == same_page(plain.get_data(as_text=True))


def test_without_accept_encoding_nothing_is_encoded(client):
    response = client.get("/")
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True).lstrip().lower().startswith("<!doctype html>")


def test_brotli_when_the_browser_offers_it(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "<html" in brotli.decompress(response.data).decode()


def test_a_compressed_page_keeps_its_security_headers_and_request_id(client):
    response = client.get("/", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "X-Request-ID"):
        assert header in response.headers


def test_a_small_answer_is_sent_as_it_is(client):
    response = client.get("/health", headers=GZIP)
    assert response.get_json() == {"status": "ok"} and "Content-Encoding" not in response.headers


def static_file(app, name: str) -> bytes:
    return (Path(app.static_folder) / name).read_bytes()


@pytest.mark.parametrize("name", ["css/agora.css", "vendor/htmx-2.0.11.min.js"])
def test_static_files_are_compressed_with_their_own_etag_and_kept_a_year(app, client, name):
    packed = client.get(f"/static/{name}", headers=GZIP)
    plain = client.get(f"/static/{name}")
    assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.data) == static_file(app, name)
    assert plain.data == static_file(app, name) and "Content-Encoding" not in plain.headers
    assert packed.headers["ETag"] != plain.headers["ETag"], "a cache must never take one encoding for the other"
    assert varies_on_encoding(packed) and varies_on_encoding(plain)
    for response in (packed, plain):
        assert "max-age=31536000" in response.headers["Cache-Control"]


def test_a_static_file_is_revalidated_in_the_encoding_the_cache_holds(client):
    path = "/static/css/agora.css"
    packed_etag = client.get(path, headers=GZIP).headers["ETag"]
    plain_etag = client.get(path).headers["ETag"]
    still_packed = client.get(path, headers={**GZIP, "If-None-Match": packed_etag})
    assert still_packed.status_code == 304 and still_packed.data == b"" and varies_on_encoding(still_packed)
    assert client.get(path, headers={"If-None-Match": plain_etag}).status_code == 304
    # A cache holding the gzip copy that now asks without gzip must get the plain file, not a 304.
    unpacked = client.get(path, headers={"If-None-Match": packed_etag})
    assert unpacked.status_code == 200 and "Content-Encoding" not in unpacked.headers


def test_a_range_of_a_static_file_is_a_range_of_the_file_itself(app, client):
    response = client.get("/static/css/agora.css", headers={**GZIP, "Range": "bytes=0-1999"})
    assert response.status_code == 206 and "Content-Encoding" not in response.headers
    assert response.data == static_file(app, "css/agora.css")[:2000]


def test_an_htmx_fragment_is_compressed_and_varies_on_both_headers(world, tablet):
    from tests.conftest import picks_for

    pupil = world.pupil
    response = tablet.client.post(f"/tablet/pupils/{pupil.id}/code", data={"picks": "", "pick": picks_for(pupil)[0]},
                                  headers={**GZIP, "HX-Request": "true"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "HX-Request" in response.headers["Vary"] and varies_on_encoding(response)
    fragment = gzip.decompress(response.data).decode()
    assert "picture-button" in fragment and "<html" not in fragment


def test_a_204_stays_empty_and_unencoded(world, tablet):
    tablet.sign_in_pupil(world.pupil)
    response = tablet.client.get("/assemblies/tablet?since=none", headers={**GZIP, "HX-Request": "true"})
    assert response.status_code == 204 and response.data == b"" and "Content-Encoding" not in response.headers


def test_a_csv_download_is_sent_as_it_is(world, educator):
    for number in range(20):
        register.record_decision(world.cooperative, register.NewDecision(f"We tidy shelf {number}", "consensus"),
                                 "Teacher A")
    db.session.commit()
    response = educator.client.get(f"/register/classes/{world.cooperative.id}/register.csv", headers=GZIP)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert len(response.data) > SETTINGS["COMPRESS_MIN_SIZE"]
    assert "Content-Encoding" not in response.headers and response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Cache-Control"] == "no-store" and "attachment" in response.headers["Content-Disposition"]


def test_a_json_download_is_compressed_and_still_a_download_no_cache_keeps(world, educator):
    path = f"/classes/{world.cooperative.id}/export.json"
    response = educator.client.get(path, headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.data)) == educator.client.get(path).get_json()
    assert response.headers["Cache-Control"] == "no-store" and "attachment" in response.headers["Content-Disposition"]


def test_a_streamed_page_is_compressed_as_it_streams(app):
    @app.get("/test-stream")
    @public
    def stream():
        return Response(stream_with_context(f"<p>line {number}</p>\n" for number in range(200)), mimetype="text/html")

    response = app.test_client().get("/test-stream", headers=GZIP)
    assert response.is_streamed and response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).decode() == "".join(f"<p>line {number}</p>\n" for number in range(200))


def test_compression_can_be_left_to_a_proxy(database_url):
    with app_configured(database_url, COMPRESS_RESPONSES=False) as app:
        response = app.test_client().get("/", headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
