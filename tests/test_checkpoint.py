"""Checkpoints round-trip exactly, and every kind of damage is refused with one clear error."""

import json
import pickle
import struct

import pytest
import torch
from safetensors.torch import save_file

from training.checkpoint import load_checkpoint, save_checkpoint
from vae.checkpoint import METADATA_KEY, CheckpointError, read_record

INFO = {"beta": 2.0, "epochs": 1, "seed": 0, "metrics": {"neg_elbo": 1.0}}


@pytest.fixture
def saved(tmp_path, tiny_vae):
    return save_checkpoint(tmp_path / "model.safetensors", tiny_vae, "vae", INFO)


def test_save_load_gives_identical_outputs(saved, tiny_vae):
    loaded, record = load_checkpoint(saved)
    x = torch.rand(6, 784)
    tiny_vae.eval()
    with torch.no_grad():
        assert torch.equal(loaded.encode(x)[0], tiny_vae.encode(x)[0])
        assert torch.equal(loaded.decode(torch.ones(2, 3)), tiny_vae.decode(torch.ones(2, 3)))
    assert loaded.config == tiny_vae.config
    assert record["info"] == INFO
    assert read_record(saved)["config"]["latent_size"] == 3


def assert_refused(path, *words):
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message.lower()


def test_missing_file(tmp_path):
    assert_refused(tmp_path / "absent.safetensors", "not found")


def test_truncated_file(saved):
    blob = saved.read_bytes()
    saved.write_bytes(blob[: len(blob) // 2])
    assert_refused(saved, "truncated")


def test_truncated_to_a_few_bytes(saved):
    saved.write_bytes(saved.read_bytes()[:5])
    assert_refused(saved, "truncated")


def test_random_bytes(saved):
    saved.write_bytes(bytes(range(256)) * 40)
    assert_refused(saved, "not a safetensors")


def test_pickle_is_refused_and_never_executed(saved, tmp_path):
    marker = tmp_path / "executed"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    saved.write_bytes(pickle.dumps({"state_dict": Exploit()}))
    assert_refused(saved)
    assert not marker.exists()


def test_tampered_weights(saved):
    blob = bytearray(saved.read_bytes())
    blob[-10] ^= 0xFF  # flip bits inside the last tensor's data
    saved.write_bytes(bytes(blob))
    assert_refused(saved, "checksum")


def test_wrong_shapes_for_the_config(saved, tiny_vae):
    record = read_record(saved)
    record["config"]["latent_size"] = 5
    tensors = {k: v.contiguous() for k, v in tiny_vae.state_dict().items()}
    save_file(tensors, str(saved), metadata={METADATA_KEY: json.dumps(record)})
    assert_refused(saved, "do not match")


def test_wrong_metadata(saved, tiny_vae):
    tensors = {k: v.contiguous() for k, v in tiny_vae.state_dict().items()}
    save_file(tensors, str(saved), metadata={"something": "else"})
    assert_refused(saved, "metadata")


def test_unknown_kind_and_bad_config(saved, tiny_vae):
    tensors = {k: v.contiguous() for k, v in tiny_vae.state_dict().items()}
    record = read_record(saved)
    save_file(tensors, str(saved), metadata={METADATA_KEY: json.dumps({**record, "kind": "gan"})})
    assert_refused(saved, "field 'kind'", "'gan'")
    save_file(tensors, str(saved), metadata={METADATA_KEY: json.dumps({**record, "config": {"layers": 9}})})
    assert_refused(saved, "config")


def test_header_length_lies(saved):
    blob = saved.read_bytes()
    saved.write_bytes(struct.pack("<Q", 10**12) + blob[8:])
    assert_refused(saved)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"config": {"input_size": 784, "hidden_size": 16, "latent_size": 3, "beta": "two"}}, "'beta'"),
        ({"config": {"input_size": 784, "hidden_size": 16, "latent_size": 3}}, "'beta'"),  # no beta at all
        ({"config": {"input_size": 784, "hidden_size": [16], "latent_size": 3, "beta": 2.0}}, "'hidden_size'"),
        ({"config": {"input_size": 784, "hidden_size": 16, "latent_size": True, "beta": 2.0}}, "'latent_size'"),
        ({"config": {"input_size": 784, "hidden_size": 16, "latent_size": 3, "beta": float("nan")}}, "'beta'"),
        ({"sha256": 7}, "'sha256'"),
        ({"sha256": "f" * 63 + "g"}, "'sha256'"),
        ({"info": ["not", "a", "mapping"]}, "'info'"),
        ({"info": {**INFO, "metrics": "good"}}, "'info.metrics'"),
        ({"info": {**INFO, "metrics": {"neg_elbo": "1"}}}, "'info.metrics.neg_elbo'"),
        ({"info": {**INFO, "lesson": [1, 2]}}, "'info.lesson'"),
        ({"info": {**INFO, "beta": None}}, "'info.beta'"),
    ],
)
def test_tampered_metadata_names_the_file_and_the_field(saved, tiny_vae, change, field):
    tensors = {k: v.contiguous() for k, v in tiny_vae.state_dict().items()}
    record = read_record(saved)
    save_file(tensors, str(saved), metadata={METADATA_KEY: json.dumps({**record, **change})})
    assert_refused(saved, field)


def test_a_huge_tampered_value_is_cut_short_in_the_message(saved, tiny_vae):
    tensors = {k: v.contiguous() for k, v in tiny_vae.state_dict().items()}
    record = read_record(saved)
    config = {**record["config"], "beta": "x" * 10_000}
    save_file(tensors, str(saved), metadata={METADATA_KEY: json.dumps({**record, "config": config})})
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(saved)
    assert "'beta'" in str(caught.value) and len(caught.value.problem) < 200
