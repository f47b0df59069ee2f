"""Watching a z = 2 space form: the test codes, the decoder's mosaic and the lesson's figures at a spread of epochs.

train.py keeps a copy of a z = 2 model's weights at each snapshot epoch (`--snapshot-epochs`; epoch 0
is the model before its first update), then, with the digit classifier at hand, calls
`build_snapshots` and `save_snapshots`; vae/snapshots.py reads the file, verified. Per epoch:

mu             the posterior means of the test digits (stored float16: a point on the plane, not a figure)
box            vae.sampling.plane_box(mu) of the float32 codes, stored float32: the box the plane shows
mosaic         the decoder at that epoch at vae.sampling.manifold_codes(box, TILES) (cell centres of the
               stored box, top row first), laid out by explorer.planes.mosaic as the page lays its own
empty_share    training.lesson_metrics.plane_figures(mu): the same grid over the same box, so an empty
               cell is a mosaic tile with no test code in it
readable_share, digits_covered   training.lesson_metrics.prior_sample_figures with the checkpoint's own
               settings (PRIOR_SAMPLES): what N(0, I) decodes to at that epoch, read by the classifier
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from vae.checkpoint import tensors_digest
from vae.sampling import manifold_codes, plane_box

from .lesson_metrics import PLANE_GRID, PRIOR_SAMPLES, plane_figures, prior_sample_figures
from .metrics import encode_all
from .model import VAE, VAEConfig

TILES = PLANE_GRID  # one grid for the mosaic and the empty share: a shaded cell is a tile


def weights_now(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of the model's tensors as they are now (the training loop keeps changing them in place)."""
    return {name: tensor.detach().to("cpu", copy=True) for name, tensor in model.state_dict().items()}


@torch.no_grad()
def build_snapshots(states: dict[int, dict], config: VAEConfig, images: torch.Tensor, classifier) -> dict:
    """The snapshot file's arrays from {epoch: weights}; images (N, 784) are the test digits in [0, 1].

    The last epoch's weights are the checkpoint's: their digest ties the file to it.
    """
    from explorer.planes import mosaic  # the page's layout, so a snapshot tile is the tile the page draws

    if config.latent_size != 2:
        raise ValueError(f"snapshots are of z = 2 planes, not z = {config.latent_size}")
    epochs = sorted(states)
    model = VAE(config).eval()
    rows = {key: [] for key in ("mu", "box", "mosaic", "empty_share", "readable_share", "digits_covered")}
    for epoch in epochs:
        model.load_state_dict(states[epoch])
        mu = encode_all(model, images)[0].numpy()  # (N, 2) float32
        plane = plane_figures(mu, grid=TILES)  # its box is plane_box(mu): the shaded cells are the tiles
        box = np.array(plane_box(mu), dtype=np.float32)  # as stored, so a reader decodes the very same codes
        tiles = model.decode(torch.from_numpy(manifold_codes(tuple(box), TILES))).numpy()  # (TILES * TILES, 784)
        prior = prior_sample_figures(model, classifier, **PRIOR_SAMPLES)
        rows["mu"].append(mu.astype(np.float16))
        rows["box"].append(box)
        rows["mosaic"].append(np.asarray(mosaic(tiles.reshape(-1, 28, 28), TILES), dtype=np.uint8))
        rows["empty_share"].append(plane["empty_share"])
        rows["readable_share"].append(prior["readable_share"])
        rows["digits_covered"].append(prior["digits_covered"])
    return {
        "epochs": np.array(epochs, dtype=np.int32),
        "mu": np.stack(rows["mu"]),  # (E, N, 2) float16
        "box": np.stack(rows["box"]),  # (E, 4) float32
        "tiles": np.array(TILES, dtype=np.int32),
        "mosaic": np.stack(rows["mosaic"]),  # (E, 28 * TILES, 28 * TILES) uint8
        "empty_share": np.array(rows["empty_share"], dtype=np.float32),
        "readable_share": np.array(rows["readable_share"], dtype=np.float32),
        "digits_covered": np.array(rows["digits_covered"], dtype=np.int32),
        "model_sha256": np.array(tensors_digest(states[epochs[-1]])),
    }


def save_snapshots(path: str | Path, arrays: dict) -> Path:
    """Writes the arrays with np.savez_compressed (plain arrays, nothing pickled), whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:  # a file object: numpy would append ".npz" to a name
        np.savez_compressed(handle, **arrays)
    temporary.replace(path)
    return path
