"""Latent Explorer's server: the page (page.py) plus two routes: the viewer's code and the models' arrays.

    streamlit run app.py

Streamlit runs page.py for every visitor. Beside it, `/le-viewer/<version>/<path>` serves the viewer's
ES modules (viewer/), and `/le-assets/<sha256>.<kind>` answers
with the content-addressed blobs of explorer/assets.py (decoders, test codes, the digit
sprite), cached by the browser for good, so the map's first paint and the in-browser
decoding never wait on the websocket. When the server starts, a thread loads and verifies
every model and builds those blobs, so the first visitor does not wait for them either.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

import streamlit as st
from starlette.responses import Response
from starlette.routing import Route

from explorer.assets import ROUTE, STORE, prepare
from explorer.figures import map_info
from explorer.lesson_assets import prepare_lesson
from vae.family import shared_family, weights_folder
from widgets.component import VIEWER_ROUTE, viewer_file

log = logging.getLogger("latent_explorer")
CACHED_FOR_GOOD = "public, max-age=31536000, immutable"  # the name is the content's hash


async def viewer(request) -> Response:
    found = viewer_file(request.path_params["version"], request.path_params["path"])
    if found is None:
        return Response("no such file of the viewer", status_code=404, media_type="text/plain")
    data, content_type = found
    return Response(data, media_type=content_type, headers={"Cache-Control": CACHED_FOR_GOOD})


async def asset(request) -> Response:
    blob = STORE.get(request.path_params["name"])
    if blob is None:
        return Response("no such asset", status_code=404, media_type="text/plain")
    return Response(blob.data, media_type=blob.content_type, headers={"Cache-Control": CACHED_FOR_GOOD})


def preload() -> None:
    """Loads the family and builds its blobs; a failure is left for the page to report to the visitor."""
    try:
        family = shared_family(weights_folder())
        prepare(family)
        map_info(family)  # every map's axes and the z = 2 planes' backdrops: no first visitor waits for them
        prepare_lesson(family)  # the lesson's mosaics as PNGs: no visitor of the lesson waits for them
    except Exception:  # the page shows what is wrong with weights/ (and how to fix it) on every visit
        log.exception("preloading the models failed")


@asynccontextmanager
async def lifespan(app):
    threading.Thread(target=preload, name="preload-models", daemon=True).start()
    yield


routes = [Route(ROUTE + "/{name}", asset), Route(VIEWER_ROUTE + "/{version}/{path:path}", viewer)]
app = st.App("page.py", routes=routes, lifespan=lifespan)
