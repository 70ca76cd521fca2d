"""The San Francisco instance of pysal/spopt, read from the installed spopt wheel.

tests/reference/validation.md §4.2: the three CSVs ship byte-identical in spopt 0.7.0 under
``spopt/tests/test_locate/data/``; their SHA-256 are checked so a changed file
cannot silently change the expected values. No network is used.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

SHA256 = {
    "SF_network_distance_candidateStore_16_censusTract_205_new.csv": (
        "596819e951041c96a7fc86feb8a759892f67d7902de3ec5e76cef3cfd36a4475"
    ),
    "SF_demand_205_centroid_uniform_weight.csv": (
        "7b469f5c246c7058a7be07385abd4170b38f1321f1310bcb3219ec3ebb31d3b9"
    ),
    "SF_store_site_16_longlat.csv": (
        "72632672dbb76706986e8b23d2135baed70230cce059da132039c6746a42394e"
    ),
}


@dataclass(frozen=True)
class SFInstance:
    cost_matrix: npt.NDArray[np.float64]  # 205 tracts x 16 stores, network distance
    weight: npt.NDArray[np.float64]  # POP2000, tracts sorted by NAME
    stores: list[str]


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("spopt")
    if spec is None or spec.origin is None:
        return None
    d = Path(spec.origin).parent / "tests" / "test_locate" / "data"
    return d if all((d / name).is_file() for name in SHA256) else None


@pytest.fixture(scope="session")
def sf() -> SFInstance:
    d = _data_dir()
    if d is None:
        pytest.skip(
            "spopt's SF test data not installed (install spopt==0.7.0; tests never download)"
        )
    for name, digest in SHA256.items():
        assert hashlib.sha256((d / name).read_bytes()).hexdigest() == digest, name
    net = pd.read_csv(d / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    # as spopt's TestRealWorldLocate: rows DestinationName (parsed as float, sorted),
    # columns store names sorted as strings (Store_1, Store_10, ..., Store_2, ...)
    piv = net.pivot_table(values="distance", index="DestinationName", columns="name")
    demand = pd.read_csv(d / "SF_demand_205_centroid_uniform_weight.csv").sort_values("NAME")
    # tests/reference/validation.md: the pivot's row order coincides with NAME order,
    # and the network file's demand column equals POP2000 row for row
    assert np.allclose(piv.index.to_numpy(dtype=float), demand["NAME"].to_numpy(dtype=float))
    per_tract = net.groupby("DestinationName")["demand"].first().sort_index()
    assert np.array_equal(per_tract.to_numpy(), demand["POP2000"].to_numpy())
    return SFInstance(
        cost_matrix=piv.to_numpy(dtype=float),
        weight=demand["POP2000"].to_numpy(dtype=float),
        stores=[str(c) for c in piv.columns],
    )
