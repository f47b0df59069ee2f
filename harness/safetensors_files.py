"""Safetensors files for the reader's tests (vae/foreign.py in tests/test_import_vae.py, its browser mirror
viewer/core/safetensors.js in tests/test_upload_vae.py): a file from any header, and header entries that lie.
One copy, here, for both (tests do not import each other: tests/test_harness.py).
"""

from __future__ import annotations

import json
import struct

from hypothesis import strategies as st
from safetensors.numpy import save as save_safetensors_bytes


def header_file(header: dict, data: bytes = b"") -> bytes:
    """A file in safetensors' layout around any header: its length (8 bytes, little-endian), the JSON, the data."""
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def saved(arrays: dict) -> bytes:
    """What safetensors writes for `arrays` (name -> numpy array), with metadata; an empty header for none."""
    return save_safetensors_bytes(arrays, metadata={"note": "x"}) if arrays else header_file({})


# One header entry as a hostile file might write it: unknown dtypes, huge or negative shapes, offsets past the
# end, overlapping or malformed ranges.
HOSTILE_ENTRY = st.fixed_dictionaries(
    {
        "dtype": st.sampled_from(["F32", "F16", "BF16", "F64", "I64", "U8", "float32", 3]),
        "shape": st.one_of(
            st.lists(st.integers(0, 2**40), max_size=6), st.lists(st.integers(-3, 5), max_size=3), st.just("4")
        ),
        "data_offsets": st.one_of(
            st.lists(st.integers(-5, 2**40), min_size=2, max_size=2), st.lists(st.integers(0, 64), max_size=3)
        ),
    }
)
