"""An .npz or .npy file is refused by the sizes its arrays declare, before anything is decompressed."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from symback.model import arrays as data_arrays
from symback.model.data import read_data
from symback.errors import DataError


def _header(shape, descr="<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue() + b"\0" * 64


def _bomb(path, shape=(10**9,)):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x.npy", _header(shape))
        z.writestr("y.npy", _header(shape))
    return str(path)


@pytest.fixture
def no_decompression(monkeypatch):
    def load(*args, **kwargs):
        raise AssertionError("np.load reached")

    monkeypatch.setattr(np, "load", load)


def test_npz_declaring_gigabytes_is_refused_before_loading(tmp_path, no_decompression):
    with pytest.raises(DataError, match=r"declares arrays of 14\.9 GiB in all; at most 2\.0 GiB"):
        read_data(_bomb(tmp_path / "bomb.npz"))


def test_npy_declaring_gigabytes_is_refused(tmp_path, no_decompression):
    path = tmp_path / "bomb.npy"
    path.write_bytes(_header((10**5, 10**5)))
    with pytest.raises(DataError, match="declares arrays of 74.5 GiB"):
        read_data(str(path))


def test_the_limit_is_half_the_available_memory_when_that_is_less(tmp_path, monkeypatch):
    monkeypatch.setattr(data_arrays, "available_memory", lambda: 2 * 2**20)
    np.savez(tmp_path / "d.npz", x=np.zeros(100_000), y=np.zeros(100_000))
    with pytest.raises(DataError, match="at most 1 MiB .half the memory available now"):
        read_data(str(tmp_path / "d.npz"))


def test_arrays_within_the_limit_are_read(tmp_path):
    np.savez_compressed(tmp_path / "d.npz", x=np.arange(5.0), y=np.arange(5.0))
    assert len(read_data(str(tmp_path / "d.npz"))) == 5


def test_a_member_that_is_not_an_array_is_one_error(tmp_path):
    with zipfile.ZipFile(tmp_path / "d.npz", "w") as z:
        z.writestr("x.npy", b"not an array at all")
    with pytest.raises(DataError, match="not a NumPy .npz or .npy file"):
        read_data(str(tmp_path / "d.npz"))
