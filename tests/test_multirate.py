"""The Multi-Rate VAE (training/multirate.py, vae/multirate.py): gates, loss, a step, numpy == torch at
several betas, the checkpoint and its refusals, train.py and the measurement on a tiny run, and the
shipped files."""

from __future__ import annotations

import json
import math
import struct

import numpy as np
import pytest
import torch

import train
from conftest import WEIGHTS
from training.checkpoint import save_checkpoint
from training.metrics import elbo_metrics
from training.multirate import (
    AtBeta,
    Gate,
    MultiRateVAE,
    as_eta,
    beta_grid,
    build_beta_codes,
    load_multirate_checkpoint,
    multirate_loss,
    sample_eta,
    save_beta_codes,
)
from vae.checkpoint import METADATA_KEY, CheckpointError, read_checkpoint, tensors_digest
from vae.family import MULTIRATE, MultiRateVariant, Variant, load_family, parse_variant
from vae.multirate import (
    DECODER_GATE_FLOOR,
    FIGURES,
    GATED_LAYERS,
    MultiRateConfig,
    NumpyMultiRateVAE,
    load_beta_codes,
    load_multirate,
    multirate_shapes,
)

BETAS = (0.01, 0.1, 0.5, 1.0, 3.0, 10.0)


def tiny(latent: int = 3, seed: int = 0) -> MultiRateVAE:
    """A small model whose gates really move with beta (random slopes and offsets, not the flat start)."""
    torch.manual_seed(seed)
    model = MultiRateVAE(MultiRateConfig(hidden_size=16, latent_size=latent))
    with torch.no_grad():
        for layer in GATED_LAYERS:
            gate = getattr(model, f"gate_{layer}")
            gate.slope.normal_(0.0, 0.7)
            gate.offset.add_(torch.randn_like(gate.offset) * 2.0)
    return model.eval()


def digits(count: int = 12, seed: int = 1) -> torch.Tensor:
    return (torch.rand((count, 784), generator=torch.Generator().manual_seed(seed)) > 0.7).float()


def test_state_dict_names_and_shapes_match_the_config_table():
    model = tiny()
    found = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    assert found == multirate_shapes(model.config)
    assert {"fc1.weight", "fc_mu.weight", "fc_logvar.weight", "fc3.weight", "fc4.weight"} <= set(found)


def test_gates_have_their_shapes_ranges_and_move_with_beta():
    encoder, decoder = Gate(5, "encoder"), Gate(5, "decoder")
    assert encoder(as_eta(1.0)).shape == (5,)
    assert encoder(torch.zeros(4, 1)).shape == (4, 5)  # one eta per row broadcasts
    assert torch.all(encoder(as_eta(1.0)) > 0.9) and torch.all(decoder(as_eta(1.0)) > 0.9)  # the open start
    assert torch.allclose(encoder(as_eta(0.01)), encoder(as_eta(10.0)))  # slope 0: flat in beta
    with torch.no_grad():
        encoder.slope.fill_(1.0)
        decoder.slope.fill_(1.0)
        decoder.offset.fill_(0.0)
    low, high = encoder(as_eta(0.1)), encoder(as_eta(5.0))
    assert torch.all(high > low) and torch.all((low > 0) & (high < 1))  # sigmoid, increasing with a positive slope
    shut = decoder(as_eta(5.0))  # 1 - exp(log 5) < 0: floored, never zero
    assert torch.allclose(shut, torch.full((5,), math.sqrt(DECODER_GATE_FLOOR)))
    assert torch.allclose(decoder(as_eta(0.5)), torch.full((5,), math.sqrt(0.5)))
    with pytest.raises(ValueError):
        as_eta(0.0)


def test_sampled_betas_are_log_uniform_on_the_range():
    config = MultiRateConfig(beta_min=0.01, beta_max=10.0)
    generator = torch.Generator().manual_seed(0)
    etas = np.array([sample_eta(config, generator) for _ in range(4000)])
    assert etas.min() >= math.log(0.01) and etas.max() <= math.log(10.0)
    assert abs(np.mean(etas) - (math.log(0.01) + math.log(10.0)) / 2) < 0.1  # uniform in log beta, not in beta
    assert abs(np.mean(np.exp(etas) < 1.0) - math.log(100) / math.log(1000)) < 0.03  # 2/3 of the draws below 1


def test_loss_is_finite_and_weighs_the_kl_by_beta():
    model, x = tiny(), digits()
    torch.manual_seed(0)
    logits, mu, logvar = model(x, as_eta(2.0))
    parts = multirate_loss(logits, x, mu, logvar, 2.0)
    assert torch.isfinite(parts.loss) and parts.kl > 0
    assert torch.allclose(parts.loss, parts.reconstruction + 2.0 * parts.kl)


def test_training_steps_lower_the_loss():
    model, x = tiny(), digits(64)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)

    @torch.no_grad()
    def loss_at(beta: float) -> float:
        torch.manual_seed(123)  # the same noise before and after
        logits, mu, logvar = model(x, as_eta(beta))
        return float(multirate_loss(logits, x, mu, logvar, beta).loss) / len(x)

    before = {beta: loss_at(beta) for beta in (0.05, 1.0, 8.0)}
    generator = torch.Generator().manual_seed(0)
    for _ in range(40):
        eta = sample_eta(model.config, generator)
        logits, mu, logvar = model(x, torch.tensor(eta))
        loss = multirate_loss(logits, x, mu, logvar, math.exp(eta)).loss / len(x)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    after = {beta: loss_at(beta) for beta in before}
    assert all(after[beta] < before[beta] - 1.0 for beta in before), (before, after)
    assert any(getattr(model, f"gate_{layer}").slope.abs().sum() > 0 for layer in GATED_LAYERS)


@pytest.mark.parametrize("beta", BETAS)
def test_numpy_matches_torch(beta):
    model, x = tiny(), digits()
    arrays = {name: t.detach().numpy() for name, t in model.state_dict().items()}
    numpy_model = NumpyMultiRateVAE(arrays, model.config)
    with torch.no_grad():
        mu, logvar = model.encode(x, as_eta(beta))
        z = torch.randn(len(x), 3, generator=torch.Generator().manual_seed(2)) * 2
        logits = model.decode_logits(z, as_eta(beta))
    np_mu, np_logvar = numpy_model.encode(x.numpy(), beta)
    np.testing.assert_allclose(np_mu, mu.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_logvar, logvar.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(numpy_model.decode_logits(z.numpy(), beta), logits.numpy(), rtol=1e-4, atol=1e-4)
    pixels = numpy_model.decode(z.numpy(), beta)
    assert pixels.shape == (len(x), 28, 28) and pixels.dtype == np.float32


def test_the_codes_really_depend_on_beta():
    numpy_model = NumpyMultiRateVAE({n: t.numpy() for n, t in tiny().state_dict().items()}, tiny().config)
    low, _ = numpy_model.encode(digits().numpy(), 0.01)
    high, _ = numpy_model.encode(digits().numpy(), 10.0)
    assert not np.allclose(low, high)
    with pytest.raises(ValueError):
        numpy_model.encode(digits().numpy(), -1.0)


def save_tiny(path, model=None):
    model = model or tiny()
    return save_checkpoint(path, model, "multirate-vae", {"epochs": 1, "seed": 0, "metrics": {"neg_elbo_beta1": 1.0}})


def test_checkpoint_round_trip(tmp_path):
    model = tiny()
    path = save_tiny(tmp_path / "mrvae-z3.safetensors", model)
    numpy_model, record = load_multirate(path)
    torch_model, same = load_multirate_checkpoint(path)
    assert record == same and record["kind"] == "multirate-vae" and numpy_model.config == model.config
    assert record["sha256"] == tensors_digest(model.state_dict())
    x = digits()
    for beta in (0.02, 1.0, 9.0):
        with torch.no_grad():
            expected = model.encode(x, as_eta(beta))[0].numpy()
            np.testing.assert_array_equal(torch_model.encode(x, as_eta(beta))[0].numpy(), expected)
        np.testing.assert_allclose(numpy_model.encode(x.numpy(), beta)[0], expected, rtol=1e-5, atol=1e-5)


def rewrite(path, edit):
    """The file with its metadata record changed by `edit` (tensors and checksum untouched)."""
    from safetensors.numpy import save

    arrays, record = read_checkpoint(path)
    edit(record)
    path.write_bytes(save(arrays, metadata={METADATA_KEY: json.dumps(record)}))


def test_a_tampered_or_mismatched_file_is_refused(tmp_path):
    path = save_tiny(tmp_path / "a.safetensors")
    blob = bytearray(path.read_bytes())
    (header,) = struct.unpack("<Q", blob[:8])
    blob[8 + header + 100] ^= 0xFF  # one byte of the tensor data
    edited = tmp_path / "edited.safetensors"
    edited.write_bytes(bytes(blob))
    with pytest.raises(CheckpointError, match="checksum"):
        load_multirate(edited)
    upside_down = save_tiny(tmp_path / "b.safetensors")
    rewrite(upside_down, lambda r: r["config"].update(beta_min=20.0))
    with pytest.raises(CheckpointError, match="beta_min"):
        load_multirate(upside_down)
    wider = save_tiny(tmp_path / "c.safetensors")
    rewrite(wider, lambda r: r["config"].update(latent_size=4))
    with pytest.raises(CheckpointError, match="do not match"):
        load_multirate(wider)
    plain = save_tiny(tmp_path / "d.safetensors")
    rewrite(plain, lambda r: r.update(kind="vae"))
    with pytest.raises(CheckpointError):  # a multi-rate file is no plain VAE, and the reverse
        load_multirate(plain)


def test_variant_names():
    assert parse_variant("z20-mr") == MultiRateVariant(20) and parse_variant("z20-beta1") == Variant(20, 1.0)
    assert MultiRateVariant(2).checkpoint_path("w").name == "mrvae-z2.safetensors"
    assert not MultiRateVariant(2).checkpoint_path("w").name.startswith("vae-")  # load_family's glob skips it
    with pytest.raises(ValueError):
        MultiRateVariant.parse("z20-mrx")


def test_beta_codes_keep_their_axes_while_beta_moves(tmp_path):
    model, x = tiny(latent=4), digits(50)
    betas = beta_grid(model.config, 5)
    arrays = build_beta_codes(model, x, betas, "ab" * 32)
    path = save_beta_codes(tmp_path / "codes.npz", arrays)
    codes = load_beta_codes(path, model_sha256="ab" * 32)
    assert codes.xy.shape == (5, 50, 2) and codes.axes.shape == (2, 4) and set(codes.figures) == set(FIGURES)
    np.testing.assert_allclose(codes.axes @ codes.axes.T, np.eye(2), atol=1e-5)  # orthonormal
    for k, beta in enumerate(betas):  # each beta's codes on the same axes
        with torch.no_grad():
            mu = model.encode(x, as_eta(float(beta)))[0].numpy()
        np.testing.assert_allclose(codes.xy[k], (mu - codes.mean) @ codes.axes.T, rtol=2e-3, atol=2e-3)
        assert arrays["neg_elbo"][k] == pytest.approx(elbo_metrics(AtBeta(model, float(beta)), x)["neg_elbo"])
        assert codes.figures["mu_rms"][k] == pytest.approx(float(np.sqrt((mu**2).mean())), rel=1e-4)
    with pytest.raises(CheckpointError, match="another model"):
        load_beta_codes(path, model_sha256="cd" * 32)


@pytest.mark.slow
def test_train_script_and_measurement_on_a_tiny_run(tmp_path, data_root, capsys):
    from training.multirate import main as rewrite_codes
    from training.rate_distortion import main as measure

    out = tmp_path / "run"
    train.main([
        "--variants", "z2-beta1,z2-mr", "--epochs", "1", "--train-subset", "1000", "--test-subset", "200",
        "--iwae-samples", "0", "--classifier-epochs", "0", "--codes-betas", "5", "--data-root", str(data_root),
        "--no-download", "--out", str(out), "--device", "cpu",
    ])  # fmt: skip
    _, record = load_multirate(MultiRateVariant(2).checkpoint_path(out))
    assert record["info"]["epochs"] == 1 and record["info"]["metrics"]["neg_elbo_beta1"] < 543.0
    codes = load_beta_codes(MultiRateVariant(2).codes_path(out), model_sha256=record["sha256"])
    assert codes.xy.shape == (5, 200, 2) and codes.betas[0] == pytest.approx(0.01)
    assert set(load_family(out).models) == {"z2-beta1"}  # the page's loader leaves mrvae- files alone
    rewrite_codes(["--weights", str(out), "--codes-betas", "4"])  # the code file again, from the checkpoint
    again = load_beta_codes(MultiRateVariant(2).codes_path(out), model_sha256=record["sha256"])
    assert again.xy.shape == (4, 200, 2) and set(again.figures) == set(FIGURES)
    np.testing.assert_array_equal(again.xy[0], codes.xy[0])  # the same first beta (0.01), the same codes
    assert all(np.isfinite(values).all() for values in again.figures.values())
    assert "## Multi-Rate VAEs" in (out / "README.md").read_text()

    measure(["--weights", str(out), "--sweep-betas", "50"])
    result = json.loads((out / "rate-distortion.json").read_text())
    found = result["models"]["z2-mr"]
    assert len(found["sweep"]["betas"]) == 50 and [row["beta"] for row in found["side_by_side"]] == [1.0]
    assert found["side_by_side"][0]["multirate"]["neg_elbo"] == pytest.approx(
        record["info"]["metrics"]["neg_elbo_beta1"]
    )
    assert "| 1 | z2-mr |" in capsys.readouterr().out


SHIPPED_FILES = [v for v in MULTIRATE if v.checkpoint_path(WEIGHTS).exists()]


def test_the_multirate_models_are_shipped():
    assert [v.name for v in SHIPPED_FILES] == [v.name for v in MULTIRATE]


@pytest.mark.parametrize("variant", SHIPPED_FILES, ids=lambda v: v.name)
def test_shipped_files_load_and_give_finite_outputs(variant):
    from vae.atlas import load_test_set

    path = variant.checkpoint_path(WEIGHTS)
    assert path.stat().st_size < 10e6 and variant.codes_path(WEIGHTS).stat().st_size < 10e6
    model, record = load_multirate(path)
    assert record["info"]["epochs"] > 0 and model.latent_size == variant.latent_size
    images, _ = load_test_set(WEIGHTS / "mnist-test.npz")
    x = images[:100].astype(np.float32) / 255.0
    codes = load_beta_codes(variant.codes_path(WEIGHTS), model_sha256=record["sha256"])
    assert codes.xy.shape[1] == len(images) and codes.betas[0] == pytest.approx(model.beta_range[0])
    for k in (0, len(codes.betas) // 2, len(codes.betas) - 1):
        beta = float(codes.betas[k])
        mu, logvar = model.encode(x, beta)
        pixels = model.decode(mu, beta)
        assert np.isfinite(mu).all() and np.isfinite(logvar).all() and (pixels >= 0).all() and (pixels <= 1).all()
        np.testing.assert_allclose(codes.xy[k, :100], (mu - codes.mean) @ codes.axes.T, rtol=1e-2, atol=2e-2)


def test_train_script_refuses_an_empty_beta_range(tmp_path):
    with pytest.raises(SystemExit, match="beta-min"):
        train.main(["--variants", "z2-mr", "--beta-min", "10", "--beta-max", "1", "--out", str(tmp_path / "x")])
    assert not (tmp_path / "x").exists()  # refused before anything was written
