"""Recognise the built-in XGBoost image URIs, from the SDK's own image table.

Only the built-in XGBoost algorithm is served offline, so an image is accepted exactly when
``sagemaker.image_uris.retrieve("xgboost", region, version)`` could have produced it. The table
is read from the installed SDK's JSON file without importing the SDK (that costs seconds).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.(?P<domain>[a-z0-9.]+)"
    r"/(?P<repository>[a-z0-9._/-]+):(?P<tag>[A-Za-z0-9._-]+)$"
)


@dataclass(frozen=True)
class XGBoostImage:
    uri: str
    region: str
    version: str



def version_key(version: str) -> tuple[int, ...]:
    """``"1.2-2"`` -> ``(1, 2, 2)``, so container versions compare in release order."""
    return tuple(int(n) for n in re.findall(r"\d+", version)) or (0,)


def _domain(region: str) -> str:
    if region.startswith("cn-"):
        return "amazonaws.com.cn"
    if region.startswith("us-isob-"):
        return "sc2s.sgov.gov"
    if region.startswith("us-iso-"):
        return "c2s.ic.gov"
    return "amazonaws.com"


@functools.lru_cache(maxsize=1)
def _table() -> dict:
    spec = importlib.util.find_spec("sagemaker")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the SageMaker Python SDK is not installed")
    path = Path(spec.submodule_search_locations[0]) / "image_uri_config" / "xgboost.json"
    return json.loads(path.read_text())


def known_versions(scope: str = "training") -> list[str]:
    return list(_table()[scope]["versions"])


def parse(uri: str) -> dict[str, str] | None:
    """The parts of an ECR image URI, or None if it is not one."""
    match = _URI.match(uri or "")
    return match.groupdict() if match else None


def recognise(uri: str, scope: str = "training") -> XGBoostImage | None:
    """The built-in XGBoost image this URI names, or None for any other image."""
    parts = parse(uri)
    if parts is None:
        return None
    if parts["domain"] != _domain(parts["region"]):
        return None
    for version, config in _table()[scope]["versions"].items():
        if config.get("repository") != parts["repository"]:
            continue
        if config.get("registries", {}).get(parts["region"]) != parts["account"]:
            continue
        tags = {version}
        if config.get("processors"):
            tags |= {f"{version}-{p}-{py}" for p in config["processors"]
                     for py in config.get("py_versions", [""])}
        if version == "1":
            tags.add("latest")
        if parts["tag"] in tags:
            return XGBoostImage(uri=uri, region=parts["region"], version=version)
    return None
