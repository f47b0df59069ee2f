"""The fixtures of the viewer's JS unit tests (tests/js/*.test.js): what numpy computes, exported as JSON.

    python tests/js/make_fixtures.py        # rewrites tests/js/fixtures/*.json

tests/test_js_fixtures.py rebuilds them in memory and fails when a committed file differs, so the JS tests
always hold the browser's maths to what numpy computes today. Every case is seeded; nothing here trains.

  decoder.json     vae/inference.py NumpyVAE.decode on two small random decoders (latent 2 and 20, hidden 16)
                   and on the shipped weights/vae-z2-beta1.safetensors, with explorer/images.py's grey levels
  paths.json       vae/paths.py interpolate (linear, spherical; near-parallel, opposite and zero-norm codes),
                   its rows at any t, and np.interp along a polyline of codes
  projection.json  vae/atlas.py Atlas.place("pca") and knn_place, explorer/state.py map_code (PCA's inverse)
  geodesic.json    vae/geodesic.py geodesic_path's reports on pairs of test codes (atlas mu) of the shipped
                   z20-beta1 and z2-beta1, and energy_and_gradient on one curve of each

Arrays longer than a few dozen numbers travel as base64 of little-endian bytes (`"f32"`: float32, `"i8"`,
`"u8"`); shorter ones as JSON numbers, each a float32 value written exactly (a float64 holds it).
The shipped model's decoder is not copied: tests/js/decoder.test.js reads its four tensors from the
safetensors file (an 8-byte length, a JSON header, raw little-endian tensors), 1.3 MB that would
otherwise sit twice in the repository, and checks that the bytes it assembled hash to explorer/assets.py
decoder_blob's, the blob a browser fetches.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # run as a plain path
    sys.path.insert(0, str(ROOT))

from explorer.assets import decoder_blob  # noqa: E402
from explorer.images import to_uint8  # noqa: E402
from explorer.state import map_code  # noqa: E402
from vae.atlas import knn_place, load_atlas  # noqa: E402
from vae.checkpoint import read_checkpoint  # noqa: E402
from vae.config import VAEConfig, parameter_shapes  # noqa: E402
from vae.geodesic import energy_and_gradient, geodesic_path  # noqa: E402
from vae.inference import NumpyVAE, load_vae  # noqa: E402
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
