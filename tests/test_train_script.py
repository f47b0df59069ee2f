"""train.py end to end on a small slice of the real MNIST files, then evaluate.py on its output."""
import pytest

import evaluate
import train
from vae.atlas import load_atlas, load_test_set
from vae.checkpoint import load_checkpoint, tensors_digest
from vae.family import TEST_SET_FILE, Variant, load_family


@pytest.mark.slow
def test_short_training_run_writes_a_loadable_family(tmp_path, data_root, capsys):
    out = tmp_path / "weights"
    train.main([
        "--variants", "z20-beta1,z2-beta1", "--epochs", "2", "--train-subset", "3000", "--test-subset", "400",
        "--iwae-samples", "20", "--data-root", str(data_root), "--out", str(out),
    ])
    for name in ("z20-beta1", "z2-beta1"):
        variant = Variant.parse(name)
        model, record = load_checkpoint(variant.checkpoint_path(out))
        assert record["info"]["epochs"] == 2 and record["info"]["train_digits"] == 3000
        assert record["info"]["metrics"]["neg_elbo"] < 543.0  # better than uniform pixels (784 ln 2)
        atlas = load_atlas(variant.atlas_path(out), model_sha256=tensors_digest(model.state_dict()))
        assert atlas.mu.shape == (400, variant.latent_size)
    images, labels = load_test_set(out / TEST_SET_FILE)
    assert images.shape == (400, 28, 28)
    assert "| z20-beta1 | 20 | 1 |" in (out / "README.md").read_text()
    assert set(load_family(out).models) == {"z20-beta1", "z2-beta1"}

    capsys.readouterr()
    assert evaluate.main(["--weights", str(out), "--iwae-samples", "20"]) == 0
    report = capsys.readouterr().out
    assert "z20-beta1" in report and "differs" not in report
