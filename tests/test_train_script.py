"""train.py end to end on a small slice of the real MNIST files, then evaluate.py on its output; the z = 2
snapshots it writes; the lesson figures it restamps; and the options that keep a user's machine safe: data
root and download, the output folder, a --help without torch."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import evaluate
import train
from conftest import WEIGHTS
from explorer.planes import mosaic
from training.checkpoint import load_checkpoint
from training.lesson_metrics import restamp_folder
from vae.atlas import load_atlas, load_test_set
from vae.checkpoint import read_record, tensors_digest
from vae.family import CLASSIFIER_FILE, TEST_SET_FILE, Variant, load_family
from vae.sampling import manifold_codes
from vae.snapshots import load_snapshots

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_short_training_run_writes_a_loadable_family(tmp_path, data_root, capsys):
    out = tmp_path / "weights"
    train.main([
        "--variants", "z20-beta1,z2-beta1", "--epochs", "2", "--train-subset", "3000", "--test-subset", "400",
        "--iwae-samples", "20", "--classifier-epochs", "1", "--data-root", str(data_root), "--no-download",
        "--out", str(out), "--device", "cpu", "--snapshot-epochs", "0,1,5",
    ])  # fmt: skip
    for name in ("z20-beta1", "z2-beta1"):
        variant = Variant.parse(name)
        model, record = load_checkpoint(variant.checkpoint_path(out))
        assert record["info"]["epochs"] == 2 and record["info"]["train_digits"] == 3000
        assert record["info"]["training_step"] == "eager" and record["info"]["device"] == "cpu"
        assert record["info"]["metrics"]["neg_elbo"] < 543.0  # better than uniform pixels (784 ln 2)
        assert 0 <= record["info"]["lesson"]["prior_samples"]["readable_share"] <= 1  # read by this run's classifier
        atlas = load_atlas(variant.atlas_path(out), model_sha256=tensors_digest(model.state_dict()))
        assert atlas.mu.shape == (400, variant.latent_size)
    check_snapshots(out, Variant.parse("z2-beta1"), epochs=[0, 1, 2])  # 5 is past --epochs 2; 2 is the last
    assert not Variant.parse("z20-beta1").snapshots_path(out).exists()  # snapshots are of z = 2 planes
    images, _ = load_test_set(out / TEST_SET_FILE)
    assert images.shape == (400, 28, 28)
    assert "| z20-beta1 | 20 | 1 |" in (out / "README.md").read_text()
    assert set(load_family(out).models) == {"z20-beta1", "z2-beta1"}

    capsys.readouterr()
    assert evaluate.main(["--weights", str(out), "--iwae-samples", "20"]) == 0
    report = capsys.readouterr().out
    assert "z20-beta1" in report and "differs" not in report and "not checked" not in report
    # a subset is checked against the record for the same digits, or not at all
    assert evaluate.main(["--weights", str(out), "--iwae-samples", "0", "--test-subset", "100"]) == 2
    assert "cannot check 2 model(s)" in capsys.readouterr().out
    assert evaluate.main(["--weights", str(out), "--iwae-samples", "0", "--tolerance", "-1"]) == 1
    assert "<- differs from the record" in capsys.readouterr().out
    assert evaluate.main(["--weights", str(out), "--iwae-samples", "20", "--models", "z2-beta1"]) == 0
    report = capsys.readouterr().out
    assert "z2-beta1" in report and "z20-beta1" not in report
    with pytest.raises(SystemExit):
        evaluate.main(["--weights", str(out), "--models", "z2-beta7"])
    assert "no checkpoint for z2-beta7" in capsys.readouterr().err

    with pytest.raises(SystemExit, match="already holds files"):  # a second run never overwrites unasked
        train.main(["--variants", "z2-beta1", "--out", str(out), "--data-root", str(data_root)])


def check_snapshots(out: Path, variant: Variant, epochs: list[int]) -> None:
    """The file ends where the checkpoint and its atlas are: same codes, same picture, same lesson figures."""
    model, record = load_checkpoint(variant.checkpoint_path(out))
    atlas = load_atlas(variant.atlas_path(out), model_sha256=record["sha256"])
    snapshots = load_snapshots(variant.snapshots_path(out), record["sha256"], digits=len(atlas.mu))
    assert snapshots.epochs.tolist() == epochs == record["info"]["snapshot_epochs"]
    assert np.array_equal(snapshots.mu[-1], atlas.mu.astype(np.float16).astype(np.float32))
    with torch.no_grad():
        drawn = model.decode(torch.from_numpy(manifold_codes(snapshots.box[-1], snapshots.tiles))).numpy()
    assert np.array_equal(snapshots.mosaic[-1], np.asarray(mosaic(drawn.reshape(-1, 28, 28), snapshots.tiles)))
    lesson = record["info"]["lesson"]
    assert snapshots.empty_share[-1] == np.float32(lesson["plane"]["empty_share"])
    assert snapshots.readable_share[-1] == np.float32(lesson["prior_samples"]["readable_share"])
    assert snapshots.digits_covered[-1] == lesson["prior_samples"]["digits_covered"]
    assert not np.array_equal(snapshots.mu[0], snapshots.mu[-1])  # epoch 0 is the untrained model


@pytest.mark.slow
def test_without_a_classifier_no_snapshot_file_is_written(tmp_path, data_root, capsys):
    out = tmp_path / "run"
    train.main([
        "--variants", "z2-beta0", "--epochs", "1", "--train-subset", "500", "--test-subset", "200",
        "--classifier-epochs", "0", "--data-root", str(data_root), "--no-download", "--out", str(out),
        "--device", "cpu",
    ])  # fmt: skip
    printed = capsys.readouterr().out
    assert f"no {CLASSIFIER_FILE} in {out}: snapshot files of z2-beta0 not written" in printed
    assert Variant.parse("z2-beta0").checkpoint_path(out).exists()
    assert not Variant.parse("z2-beta0").snapshots_path(out).exists()


@pytest.mark.slow
def test_restamping_after_training_leaves_the_models_not_trained_alone(tmp_path):
    """train.py recomputes the lesson figures of what it trained, and of models read by another classifier."""
    for name in (CLASSIFIER_FILE, TEST_SET_FILE, "vae-z2-beta0.safetensors", "vae-z2-beta1.safetensors"):
        shutil.copy(WEIGHTS / name, tmp_path / name)
    kept = (tmp_path / "vae-z2-beta1.safetensors").read_bytes()
    assert set(restamp_folder(tmp_path, changed={"z2-beta0"})) == {"z2-beta0"}
    assert (tmp_path / "vae-z2-beta1.safetensors").read_bytes() == kept

    from training.lesson_metrics import rewrite_info

    info = read_record(tmp_path / "vae-z2-beta1.safetensors")["info"]
    rewrite_info(tmp_path / "vae-z2-beta1.safetensors", dict(info, lesson_classifier_sha256="another"))
    assert set(restamp_folder(tmp_path, changed={"z2-beta0"})) == {"z2-beta0", "z2-beta1"}
    again = read_record(tmp_path / "vae-z2-beta1.safetensors")["info"]
    assert again["lesson_classifier_sha256"] == read_record(tmp_path / CLASSIFIER_FILE)["sha256"]
    assert again["lesson"]["prior_samples"] == info["lesson"]["prior_samples"]  # the same figures, recomputed


def test_help_answers_without_importing_torch():
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['train.py', '--help']\n"
        "try:\n    runpy.run_path('train.py', run_name='__main__')\n"
        "except SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
        "print('torch imported:', 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--no-download" in result.stdout and "--overwrite" in result.stdout
    assert result.stdout.rstrip().endswith("torch imported: False")


def test_evaluate_help_answers_without_importing_torch():
    probe = (
        "import sys\nsys.argv = ['evaluate.py', '--help']\nimport evaluate\n"
        "try:\n    evaluate.main()\nexcept SystemExit:\n    pass\nprint('torch imported:', 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.rstrip().endswith("torch imported: False"), result.stderr


def test_output_defaults_to_a_new_run_folder_and_never_the_shipped_weights():
    assert train.parse_args([]).out is None
    assert train.default_out().startswith("runs/")
    with pytest.raises(SystemExit, match=r"already holds files.*--overwrite"):
        train.check_out(ROOT / "weights", overwrite=False)
    train.check_out(ROOT / "weights", overwrite=True)  # allowed when asked (nothing is written here)


def test_existing_output_is_refused_before_any_work(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text("someone's run")
    monkeypatch.setattr("training.data.load_mnist", lambda *a, **k: pytest.fail("data loaded before the check"))
    with pytest.raises(SystemExit, match="already holds files"):
        train.main(["--out", str(tmp_path)])
    assert (tmp_path / "README.md").read_text() == "someone's run"


def test_data_is_downloaded_when_missing_unless_forbidden(tmp_path, monkeypatch):
    from training.data import MNISTUnavailable

    asked = []

    def fake_load(root, train=True, download=False):
        asked.append((root, download))
        raise MNISTUnavailable("stop here")

    monkeypatch.setattr("training.data.load_mnist", fake_load)
    for extra, download in (([], True), (["--no-download"], False)):
        with pytest.raises(SystemExit, match=r"^error: stop here$"):
            train.main(["--out", str(tmp_path / f"out{download}"), "--device", "cpu", *extra])
        assert asked.pop() == ("data", download)  # the default root: data/, git-ignored


def test_missing_data_is_one_line_that_says_what_to_do(tmp_path, monkeypatch):
    from torchvision import datasets

    from training.data import MNISTUnavailable, load_mnist

    with pytest.raises(MNISTUnavailable, match="--data-root") as missing:
        load_mnist(str(tmp_path), download=False)
    assert "\n" not in str(missing.value)

    def offline(*args, **kwargs):  # what torchvision raises when every mirror fails
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried https://...:\n<urlopen error>\n")

    monkeypatch.setattr(datasets, "MNIST", offline)
    with pytest.raises(MNISTUnavailable, match=r"could not download MNIST.*offline") as failed:
        load_mnist(str(tmp_path), download=True)
    assert "\n" not in str(failed.value)
