"""The fixtures of the viewer's JS unit tests (tests/js/*.test.js): what numpy computes, exported as JSON.

    python tests/js/make_fixtures.py        # rewrites tests/js/fixtures/*.json

tests/test_js_fixtures.py rebuilds them in memory and fails when a committed file differs, so the JS tests
always hold the browser's maths to what numpy computes today. Every case is seeded; nothing here trains.

  decoder.json     vae/inference.py NumpyVAE.decode on two small random decoders (latent 2 and 20, hidden 16)
                   and on the shipped weights/vae-z2-beta1.safetensors, with explorer/images.py's grey levels
  paths.json       vae/paths.py interpolate (linear, spherical; near-parallel, opposite and zero-norm codes),
                   its rows at any t, and np.interp along a polyline of codes
  drawing.json     vae/drawing.py to_mnist on canvas drawings (280x280 RGBA strokes, opaque or on a transparent
                   background) and photo-like pictures (dark ink on grey paper with noise, a rotated
                   transparent PNG, pictures over WORK_SIDE that are reduced first), and its refusals
  projection.json  vae/atlas.py Atlas.place("pca") and knn_place, explorer/state.py map_code (PCA's inverse)
  encoder.json     vae/inference.py NumpyVAE.encode (mu, logvar) under two shipped models, of a few test digits,
                   a drawing and a photo (both through vae/drawing.py to_mnist)
  classifier.json  vae/inference.py NumpyClassifier.logits and .probabilities of encoder.json's images and of the
                   frames of a linear path (the JS decodes its codes itself), with the strip's reading
                   (tests/test_browser_blobs.py classifies numpy's own frames of paths under every shipped model)
  geodesic.json    vae/geodesic.py geodesic_path's reports on pairs of test codes (atlas mu) of the shipped
                   z20-beta1 and z2-beta1, and energy_and_gradient on one curve of each

Arrays longer than a few dozen numbers travel as base64 of little-endian bytes (`"f32"`: float32, `"i8"`,
`"u8"`); shorter ones as JSON numbers, each a float32 value written exactly (a float64 holds it).
The shipped model's decoder is not copied: tests/js/decoder.test.js reads its four tensors from the
safetensors file (an 8-byte length, a JSON header, raw little-endian tensors), 1.3 MB that would
otherwise sit twice in the repository, and checks that the bytes it assembled hash to explorer/assets.py
decoder_blob's, the blob a browser fetches. The encoders and the classifier are read from their files the
same way (tests/js/safetensors.js), held to encoder_blob and classifier_blob.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # run as a plain path
    sys.path.insert(0, str(ROOT))

from explorer.assets import classifier_blob, decoder_blob, encoder_blob  # noqa: E402
from explorer.images import to_uint8  # noqa: E402
from explorer.state import map_code  # noqa: E402
from vae.atlas import knn_place, load_atlas  # noqa: E402
from vae.checkpoint import read_checkpoint  # noqa: E402
from vae.config import VAEConfig, parameter_shapes  # noqa: E402
from vae.drawing import DrawingError, read_upload, to_mnist  # noqa: E402
from vae.geodesic import energy_and_gradient, geodesic_path  # noqa: E402
from vae.inference import NumpyVAE, load_classifier, load_vae  # noqa: E402
from vae.paths import _slerp_with_linear_norm, interpolate  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WEIGHTS = ROOT / "weights"
SHIPPED = "vae-z2-beta1.safetensors"  # the decoder the JS reads from its file
ATLAS = "atlas-z20-beta1.npz"  # a z = 20 atlas with both maps (PCA and t-SNE)
HIDDEN = 16
# The random decoders' weights are whole multiples of these powers of two (int8 * scale), exact in
# float32, so they travel as int8: a quarter of the bytes. Sized so that some hidden units are off
# (ReLU), and pixels fall on both sides of 0.5 without saturating.
SCALES = {"fc3.weight": 1 / 64, "fc3.bias": 1 / 64, "fc4.weight": 1 / 256, "fc4.bias": 1 / 64}
KNN_REFERENCES = 150  # test codes the JS searches (of the atlas's 10,000)
ENCODERS = ["vae-z20-beta1.safetensors", "vae-z2-beta1.safetensors"]  # latent 20 and 2, read by the JS from file
ENCODER_TENSORS = ["fc1.weight", "fc1.bias", "fc_mu.weight", "fc_mu.bias", "fc_logvar.weight", "fc_logvar.bias"]
CLASSIFIER = "classifier.safetensors"
CLASSIFIER_TENSORS = [
    "conv1.weight",
    "conv1.bias",
    "conv2.weight",
    "conv2.bias",
    "fc1.weight",
    "fc1.bias",
    "fc2.weight",
    "fc2.bias",
]
TEST_DIGITS = [0, 1, 2, 4, 8]  # weights/mnist-test.npz: a 7, a 2, a 1, a 4 and a 5
PATH_MODEL = "vae-z20-beta1.safetensors"  # the classified path's decoder, read by the JS from file
PATH_ENDS = (3, 1)  # test digits 0 and 2: the path's reading changes digit on the way
PATH_FRAMES = 12


def packed(array: np.ndarray, dtype: str) -> str:
    """base64 of the array's little-endian bytes as `dtype` ("<f4", "i1", "u1"), row-major."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def exact(array: np.ndarray) -> list:
    """A float32 array as nested lists of the float64s equal to its values (JSON writes them exactly)."""
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def random_decoder(latent: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    config = VAEConfig(input_size=784, hidden_size=HIDDEN, latent_size=latent, beta=1.0)
    shapes = parameter_shapes(config)
    whole = {name: rng.integers(-127, 128, size=shape, dtype=np.int8) for name, shape in shapes.items()}
    arrays = {name: values.astype(np.float32) * np.float32(SCALES.get(name, 0.0)) for name, values in whole.items()}
    model = NumpyVAE(arrays, config)  # the encoder is all zeros: only decode runs
    codes = np.concatenate([rng.normal(size=(2, latent)), np.zeros((1, latent)), 3 * np.ones((1, latent))])
    codes = codes.astype(np.float32)
    means = model.decode(codes)
    return {
        "latent": latent,
        "hidden": HIDDEN,
        "tensors": {name: {"i8": packed(whole[name], "i1"), "scale": SCALES[name]} for name in SCALES},
        "blob_sha256": hashlib.sha256(decoder_blob(model)).hexdigest(),
        "codes": exact(codes),
        "means": packed(means, "<f4"),
        "grey": packed(to_uint8(means), "u1"),
    }


def shipped_decoder() -> dict:
    path = WEIGHTS / SHIPPED
    arrays, record = read_checkpoint(path)
    model = load_vae(path, arrays, record)
    atlas = load_atlas(WEIGHTS / SHIPPED.replace("vae-", "atlas-").replace(".safetensors", ".npz"))
    codes = np.concatenate([atlas.mu[[0, 1]], [[0.0, 0.0], [2.5, -1.5]]]).astype(np.float32)
    means = model.decode(codes)
    return {
        "file": f"weights/{SHIPPED}",
        "latent": model.latent_size,
        "hidden": model.config.hidden_size,
        "tensors": ["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"],
        "blob_sha256": hashlib.sha256(decoder_blob(model)).hexdigest(),
        "codes": exact(codes),
        "means": packed(means, "<f4"),
        "grey": packed(to_uint8(means), "u1"),
    }


def decoder_fixture() -> dict:
    return {"random": [random_decoder(2, 2), random_decoder(20, 20)], "shipped": shipped_decoder()}


def path_pairs() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, a, b) float32 pairs covering the branches of vae/paths.py."""
    rng = np.random.default_rng(7)
    a2, b2 = rng.normal(size=(2, 2))
    a20, b20 = rng.normal(size=(2, 20))
    side = rng.normal(size=20)
    side -= (side @ a20) / (a20 @ a20) * a20  # orthogonal to a20
    side /= np.linalg.norm(side)
    pairs = [
        ("z2", a2, b2),
        ("z20", a20, b20),
        ("parallel", a20, 1.75 * a20),  # the same direction: omega below 1e-6, the directions' mean
        ("near-parallel", a20, 1.5 * a20 + 1e-4 * side),  # omega just above 1e-6: the slerp formula
        ("near-opposite", a20, -0.8 * a20 + 0.05 * side),
        ("equal", a20, a20),
        ("a-zero", np.zeros(20), b20),  # no direction at the origin: a straight line
        ("b-tiny", a20, np.full(20, 1e-14)),  # a norm under 1e-12 counts as zero
    ]
    return [(name, np.asarray(a, np.float32), np.asarray(b, np.float32)) for name, a, b in pairs]


def paths_fixture() -> dict:
    pairs, interpolated, points = {}, [], []
    for name, a, b in path_pairs():
        pairs[name] = {"a": exact(a), "b": exact(b)}
        for method, frames in (("linear", 5), ("spherical", 7)):
            codes = interpolate(a, b, frames, method)
            interpolated.append({"pair": name, "method": method, "frames": frames, "codes": packed(codes, "<f4")})
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        for t in (0.1, 1 / 3, 0.875):
            points.append(
                {
                    "pair": name,
                    "t": t,
                    "linear": ((1 - t) * a64 + t * b64).tolist(),  # interpolate's linear row, before its float32 cast
                    "spherical": _slerp_with_linear_norm(a64, b64, np.array([[t]]))[0].tolist(),
                }
            )
    a, b = path_pairs()[0][1:]
    for method, frames in (("spherical", 32), ("linear", 2)):  # the most frames a view shows, the fewest a path has
        codes = interpolate(a, b, frames, method)
        interpolated.append({"pair": "z2", "method": method, "frames": frames, "codes": packed(codes, "<f4")})

    rng = np.random.default_rng(11)
    polyline = rng.normal(size=(6, 3)).astype(np.float32)  # a geodesic's optimised frames, say
    ts = [0.0, 0.05, 0.2, 0.5, 0.61, 0.999, 1.0]
    knots = np.arange(len(polyline))
    along = [[np.interp(t * (len(polyline) - 1), knots, polyline[:, k]) for k in range(3)] for t in ts]
    return {
        "pairs": pairs,
        "interpolate": interpolated,
        "points": points,
        "polyline": {"codes": exact(polyline), "t": ts, "points": along},
    }


def projection_fixture() -> dict:
    atlas = load_atlas(WEIGHTS / ATLAS)
    rng = np.random.default_rng(5)
    # What the browser receives: explorer/assets.py model_manifest's PCA entry, rounded to 7 decimals.
    pca = {
        "mean": atlas.pca_mean.astype(float).round(7).tolist(),
        "components": atlas.pca_components.astype(float).round(7).tolist(),
    }
    codes = np.concatenate([atlas.mu[[0, 1, 2, 9999]], rng.normal(size=(2, atlas.mu.shape[1]))]).astype(np.float32)
    points = [[0.0, 0.0], [1.25, -0.5], [-3.1, 2.7]]
    inverse = np.stack([map_code(SimpleNamespace(atlas=atlas), "pca", x, y) for x, y in points])

    chosen = np.sort(rng.choice(len(atlas.mu), KNN_REFERENCES, replace=False))
    reference, coordinates = atlas.mu[chosen], atlas.maps["tsne"][chosen]
    queries = np.concatenate(
        [
            reference[[0, 40, 77]] + rng.normal(scale=0.05, size=(3, reference.shape[1])),  # near test codes
            rng.normal(size=(3, reference.shape[1])),  # anywhere under the prior
        ]
    ).astype(np.float32)
    return {
        "pca": pca,
        "codes": exact(codes),
        "placed": exact(atlas.place(codes, "pca")),
        "points": points,
        "inverse": exact(inverse),
        "knn": {
            "latent": int(reference.shape[1]),
            "mu": packed(reference, "<f4"),
            "coords": packed(coordinates, "<f4"),
            "queries": exact(queries),
            "placed": exact(knn_place(queries, reference, coordinates)),
        },
    }


def drawn_images() -> np.ndarray:
    """(2, 28, 28) float32: a stroke drawn on the canvas and a photographed digit, as vae/drawing.py prepares them."""
    canvas = Image.new("L", (280, 280), 0)  # the drawing canvas: white ink on black
    ImageDraw.Draw(canvas).line([(90, 60), (200, 60), (120, 230)], fill=255, width=18, joint="curve")  # a 7
    rng = np.random.default_rng(3)
    paper = 200 + np.linspace(-25, 25, 240)[None, :, None] + rng.normal(scale=6, size=(180, 240, 3))
    photo = Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8), "RGB")  # light, uneven, grainy paper
    ImageDraw.Draw(photo).ellipse([80, 30, 160, 150], outline=(40, 35, 60), width=12)  # a 0 in dark ink
    png = io.BytesIO()
    photo.save(png, format="PNG")
    digits = [to_mnist(np.asarray(canvas)), to_mnist(read_upload(png.getvalue()))]
    assert [digit.inverted for digit in digits] == [False, True]
    return np.stack([digit.image for digit in digits])


def fixture_images() -> np.ndarray:
    """(7, 28, 28) float32 images: five test digits, a drawing and a photo. Every value is a whole number / 255
    (to_mnist scales uint8 grey levels), so they travel as uint8 exactly."""
    test = np.load(WEIGHTS / "mnist-test.npz")["images"][TEST_DIGITS].astype(np.float32) / 255
    images = np.concatenate([test, drawn_images()])
    grey = np.round(images * 255)
    assert np.array_equal(grey.astype(np.float32) / 255, images), "an image is not whole grey levels"
    return images


def encoder_fixture() -> dict:
    images = fixture_images()
    models = []
    for name in ENCODERS:
        path = WEIGHTS / name
        model = load_vae(path, *read_checkpoint(path))
        mu, logvar = model.encode(images)
        models.append(
            {
                "file": f"weights/{name}",
                "latent": model.latent_size,
                "hidden": model.config.hidden_size,
                "tensors": ENCODER_TENSORS,
                "blob_sha256": hashlib.sha256(encoder_blob(model)).hexdigest(),
                "mu": exact(mu),
                "logvar": exact(logvar),
            }
        )
    return {"images": packed(np.round(images * 255), "u1"), "models": models}


def classifier_fixture() -> dict:
    path = WEIGHTS / CLASSIFIER
    classifier = load_classifier(path, *read_checkpoint(path))
    images = fixture_images()
    decoder_path = WEIGHTS / PATH_MODEL
    model = load_vae(decoder_path, *read_checkpoint(decoder_path))
    atlas = load_atlas(WEIGHTS / PATH_MODEL.replace("vae-", "atlas-").replace(".safetensors", ".npz"))
    codes = interpolate(atlas.mu[PATH_ENDS[0]], atlas.mu[PATH_ENDS[1]], PATH_FRAMES, "linear")
    frames = model.decode(codes)  # (F, 28, 28), what the server's strip shows
    path_probabilities = classifier.probabilities(frames)
    ranked = np.sort(path_probabilities, axis=1)
    assert (ranked[:, -1] - ranked[:, -2] > 1e-3).all(), "a frame's top two digits nearly tie: pick another path"
    assert len(set(path_probabilities.argmax(axis=1))) > 1, "the path's reading should change digit"
    c1, c2 = classifier.config.channels
    return {
        "file": f"weights/{CLASSIFIER}",
        "header": [c1, c2, classifier.config.hidden_size],
        "tensors": CLASSIFIER_TENSORS,
        "blob_sha256": hashlib.sha256(classifier_blob(classifier)).hexdigest(),
        "logits": exact(classifier.logits(images)),  # of encoder.json's images
        "probabilities": exact(classifier.probabilities(images)),
        "path": {
            "file": f"weights/{PATH_MODEL}",
            "latent": model.latent_size,
            "hidden": model.config.hidden_size,
            "codes": packed(codes, "<f4"),
            "logits": exact(classifier.logits(frames)),
            "probabilities": exact(path_probabilities),
            "digits": [int(digit) for digit in path_probabilities.argmax(axis=1)],  # vae/analytics.py predicted
        },
    }


CANVAS = 280  # the Streamlit page's drawing canvas, a side


def strokes(points: list[tuple[float, float]], width: float, side: int = CANVAS) -> np.ndarray:
    """Anti-aliased coverage in [0, 1] (side, side) of a pen of `width` along a polyline of (x, y) points."""
    ys, xs = np.mgrid[:side, :side] + 0.5
    distance = np.full((side, side), np.inf)
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
        distance = np.minimum(distance, np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy)))
    return np.clip(width / 2 + 0.5 - distance, 0, 1)


def noise(width: int, height: int, amplitude: int, seed: int) -> np.ndarray:
    """Integer grey noise in [-amplitude, amplitude] (height, width): a hash of the pixel's index that
    tests/js/drawing.test.js computes the same way (so big pictures travel as a small base and a seed)."""
    h = (np.arange(width * height, dtype=np.uint64) * np.uint64(2654435761) + np.uint64(seed)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(2246822519)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(13)
    return ((h % np.uint64(2 * amplitude + 1)).astype(np.int64) - amplitude).reshape(height, width)


def assemble(case: dict) -> np.ndarray:
    """The RGBA picture of a fixture case: its base picture repeated `repeat` times a side (nearest), cut to
    (height, width), with grey noise added to R, G and B."""
    base = np.frombuffer(zlib.decompress(base64.b64decode(case["base"])), np.uint8)
    base = base.reshape(case["base_height"], case["base_width"], 4)
    k = case["repeat"]
    picture = np.repeat(np.repeat(base, k, axis=0), k, axis=1)[: case["height"], : case["width"]].astype(np.int64)
    if case["noise"]:
        picture[..., :3] += noise(case["width"], case["height"], case["noise"], case["seed"])[..., None]
    return np.clip(picture, 0, 255).astype(np.uint8)


def rgba(grey: np.ndarray, alpha: np.ndarray | float = 255) -> np.ndarray:
    """(H, W, 4) uint8 from grey levels and alpha (0-255 floats, rounded)."""
    out = np.empty((*grey.shape, 4), np.uint8)
    out[..., :3] = np.clip(np.rint(grey), 0, 255)[..., None]
    out[..., 3] = np.clip(np.rint(alpha), 0, 255)
    return out


def drawing_pictures() -> list[dict]:
    """(name, kind, base RGBA, repeat, width, height, noise, seed): kind "drawn" is the canvas (an array),
    "upload" a decoded file (a PIL picture of mode `mode`)."""
    seven = [(60, 60), (220, 60), (130, 240)]
    zero = [(140, 40), (200, 80), (210, 160), (160, 235), (100, 220), (70, 140), (90, 60), (140, 40)]
    one = [(150, 40), (135, 250)]
    four = [(170, 230), (170, 40), (60, 170), (220, 170)]
    cases = []
    ink = strokes(seven, 18)
    cases.append(("canvas-seven-opaque", "drawn", rgba(255 * ink), 1, 0, 0))  # white on an opaque black canvas
    ink = strokes(zero, 18)
    cases.append(("canvas-zero-transparent", "drawn", rgba(np.full_like(ink, 255), 255 * ink), 1, 0, 0))
    cases.append(("canvas-one-thin", "drawn", rgba(255 * strokes(one, 6)), 1, 0, 0))  # a tall narrow crop
    ink = strokes([(20, 20), (22, 120)], 10)  # off in a corner: the centring clips
    cases.append(("canvas-corner", "drawn", rgba(255 * ink), 1, 0, 0))
    ink = strokes(four, 24, 140)  # dark pen on grey paper, photographed: noise, an uneven light
    paper = 200 - 30 * np.linspace(0, 1, 140)[None, :]
    cases.append(("photo-dark-on-grey", "upload", rgba(paper - (paper - 40) * ink), 1, 12, 3))
    base = rgba(230 - 190 * strokes([(x / 2, y / 2) for x, y in seven], 10, CANVAS // 2))
    rotated = Image.fromarray(base, "RGBA").rotate(23, resample=Image.Resampling.BICUBIC, expand=True)
    cases.append(("photo-rotated-transparent", "upload", np.asarray(rotated), 1, 0, 0))  # ink on paper, corners clear
    ink = strokes(zero, 16, 280)[::2, ::2]  # 140 a side, then repeated 5 times: 700 -> reduced by 2 (560 a side)
    cases.append(("photo-big-reduced-2", "upload", rgba(250 - 200 * ink), 5, 6, 5))
    ink = strokes(four, 30, 280)[::4, ::4]  # 70 a side, x 19 = 1330, cut to 1301 x 1190: reduced by 3, edges cut
    cases.append(("photo-big-reduced-3", "upload", rgba(40 + 180 * ink, 255 - 40 * ink), 19, 20, 9))
    ink = strokes(one, 20, 280)[::4, ::4]
    alpha = 255 * ink
    cases.append(("photo-big-transparent-7", "upload", rgba(np.zeros_like(ink), alpha), 53, 0, 0))  # 3710 a side
    cases.append(("canvas-speckle", "drawn", rgba(np.full((1, 1), 128.0)), CANVAS, 127, 4))  # noise: a warning
    sizes = {"photo-big-reduced-3": (1301, 1190), "photo-big-transparent-7": (3710, 3700)}
    out = []
    for name, kind, base, repeat, amplitude, seed in cases:
        height, width = base.shape[0] * repeat, base.shape[1] * repeat
        width, height = sizes.get(name, (width, height))
        out.append(
            {
                "name": name,
                "kind": kind,
                "base": base64.b64encode(zlib.compress(np.ascontiguousarray(base).tobytes(), 9)).decode("ascii"),
                "base_width": base.shape[1],
                "base_height": base.shape[0],
                "repeat": repeat,
                "width": width,
                "height": height,
                "noise": amplitude,
                "seed": seed,
            }
        )
    return out


def refusal_pictures() -> list[tuple[str, str, np.ndarray]]:
    """(name, kind, RGBA) pictures vae/drawing.py refuses or warns about."""
    clear_canvas = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    grey = rgba(np.full((60, 80), 128.0))
    dot = rgba(255 * strokes([(140, 140), (141, 141)], 8))
    clear = rgba(np.full((50, 50), 255.0), np.full((50, 50), 10.0))
    return [
        ("blank-canvas", "drawn", rgba(np.zeros((CANVAS, CANVAS)))),  # the page's canvas is opaque black
        ("clear-canvas", "drawn", clear_canvas),  # a canvas never filled: transparent everywhere
        ("flat-canvas", "drawn", rgba(np.full((CANVAS, CANVAS), 90.0))),
        ("flat-upload", "upload", grey),
        ("dot", "drawn", dot),
        ("transparent", "upload", clear),
        ("empty", "upload", np.zeros((0, 5, 4), np.uint8)),
    ]


def run_to_mnist(kind: str, picture: np.ndarray) -> dict:
    """vae/drawing.py to_mnist on the canvas's array or an upload's PIL picture: the digit, or the refusal."""
    try:
        digit = to_mnist(picture if kind == "drawn" or picture.size == 0 else Image.fromarray(picture, "RGBA"))
    except DrawingError as error:
        return {"error": str(error)}
    grey = np.rint(digit.image * 255)
    assert np.array_equal(grey.astype(np.float32) / np.float32(255), digit.image), "pixels are k / 255"
    return {"grey": packed(grey, "u1"), "inverted": digit.inverted, "warning": digit.warning}


def drawing_fixture() -> dict:
    cases = drawing_pictures()
    for case in cases:
        case["expected"] = run_to_mnist(case["kind"], assemble(case))
    refusals = []
    for name, kind, picture in refusal_pictures():
        refusals.append(
            {
                "name": name,
                "kind": kind,
                "width": picture.shape[1],
                "height": picture.shape[0],
                "rgba": base64.b64encode(zlib.compress(picture.tobytes(), 9)).decode("ascii"),
                "expected": run_to_mnist(kind, picture),
            }
        )
    return {"pictures": cases, "refusals": refusals}


GEODESIC_MODELS = ("z20-beta1", "z2-beta1")  # the model a first visit opens on, and the z = 2 plane's
GEODESIC_PAIRS = 3  # per model: each takes the JS about a second (more pairs: tests/test_geodesic_js.py)
GEODESIC_FRAMES = 10


def significant(value: float, digits: int = 5) -> float:
    """`value` to `digits` significant figures: an optimised path's energy moves in its last float32 bits
    with the CPU's BLAS kernels, and the JS only needs it to 1%. (The step count is left out for the same
    reason: another CPU's rounding can stop the optimiser a step or two sooner or later.)"""
    return float(f"{value:.{digits - 1}e}")


def geodesic_fixture() -> dict:
    models = {}
    for name in GEODESIC_MODELS:
        path = WEIGHTS / f"vae-{name}.safetensors"
        model = load_vae(path, *read_checkpoint(path))
        mu = load_atlas(WEIGHTS / f"atlas-{name}.npz").mu
        rng = np.random.default_rng(23)
        pairs = []
        for i, j in rng.choice(len(mu), size=(GEODESIC_PAIRS, 2), replace=False):
            _, report = geodesic_path(model, mu[i], mu[j], GEODESIC_FRAMES)
            pairs.append(
                {
                    "indices": [int(i), int(j)],
                    "a": exact(mu[i]),
                    "b": exact(mu[j]),
                    "energy": significant(report.energy),
                    "length": significant(report.length),
                    "linear_energy": significant(report.linear_energy),
                    "linear_length": significant(report.linear_length),
                }
            )
        t = np.linspace(0, 1, 16, dtype=np.float32)[:, None]
        curve = ((1 - t) * mu[0] + t * mu[1] + rng.normal(scale=0.3, size=(16, mu.shape[1]))).astype(np.float32)
        energy, gradient = energy_and_gradient(model, curve)
        models[name] = {
            "file": f"weights/vae-{name}.safetensors",
            "frames": GEODESIC_FRAMES,
            "pairs": pairs,
            "curve": packed(curve, "<f4"),
            "energy": significant(energy, 6),
            "gradient": packed(gradient, "<f4"),
        }
    return {"models": models}


def build() -> dict[str, str]:
    """File name -> the JSON text it must hold."""
    made = {
        "decoder.json": decoder_fixture(),
        "paths.json": paths_fixture(),
        "projection.json": projection_fixture(),
        "encoder.json": encoder_fixture(),
        "classifier.json": classifier_fixture(),
        "drawing.json": drawing_fixture(),
        "geodesic.json": geodesic_fixture(),
    }
    return {name: json.dumps(value, separators=(",", ":")) + "\n" for name, value in made.items()}


def main() -> int:
    FIXTURES.mkdir(exist_ok=True)
    for name, text in build().items():
        (FIXTURES / name).write_text(text, encoding="utf-8")
        print(f"wrote tests/js/fixtures/{name} ({len(text.encode()) / 1000:.1f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
