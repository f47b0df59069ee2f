"""What the explorer widget draws from that depends on the family alone: every host hands it the same.

    family_data(family)   # models' manifests, each map's axes and title, the digits, Plotly's config, the classifier

sections/map.py adds the view, the endpoints and what its run computed (widgets.contract ExplorerData);
export.py writes it once into the static site, whose host adds the rest in the browser.
"""

from __future__ import annotations

from vae.family import Family
from vae.sampling import READABLE

from . import assets, charts, figures
from .multirate_assets import multirate_data

ASPECT = 0.82  # the map's height over its width on a wide screen (a phone's is set by the viewer)
PICK_HINT = "Pick a dot for A and another for B; drag A or B to move them; move along the path or the strip to scrub."
# Once A and B are both set (explorer/state.py Endpoints.click), what the next click does.
PAIR_HINT = (
    "A and B are set: a click on a dot starts a new pair from it as A; drag A or B to move them; "
    "move along the path or the strip to scrub."
)


def family_data(family: Family) -> dict:
    return {
        "models": {name: assets.model_manifest(family, name) for name in family.models},
        "mapInfo": figures.map_info(family),
        "mapLabels": figures.MAP_WORDS,
        "mapTitles": figures.MAP_TITLES,  # the map buttons' tooltips and a phone's title: "t-SNE (...)" in words
        "hints": {"pick": PICK_HINT, "pair": PAIR_HINT},  # the viewer swaps pick for pair once A and B are set
        "digits": assets.digits_manifest(family),
        "config": figures.PLOT_CONFIG,
        "aspect": ASPECT,
        "inside": charts.inside_data(family),
        "multirate": multirate_data(family),  # the β slider's one model for every β (multirate_assets.py)
        "classifier": assets.classifier_url(family),  # the viewer reads the β slider's frames itself (no host does)
    }


def showcase_text(a_label: str, b_label: str) -> str:
    """What a first visit is looking at (training/showcase.py picked the pair by its stated rule)."""
    return (
        f"A morph to start with: {a_label} turning into {b_label}, a pair picked so that a digit "
        f"classifier reads every frame as a digit at P ≥ {READABLE:g}. The labels above the frames are that "
        "classifier's reading, which can disagree with your eye. Pick two dots for your own pair."
    )


TITLE = "Latent Explorer"
TAGLINE = "10,000 MNIST test digits placed where (variational) autoencoders encode them."
