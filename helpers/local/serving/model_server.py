"""The built-in XGBoost model server, following SageMaker's inference contract.

``GET /ping`` answers 200 once the model is loaded; ``POST /invocations`` scores CSV, libsvm or
(nothing else); ``GET /execution-parameters`` reports the 6 MB payload limit. Status codes and
messages are the container's: an empty body is 204, an unparsable one 415, a prediction error
400, an unsupported Accept 406. Containers 1.2-2 and newer answer one score per line (or JSON),
older ones a single comma-separated line.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import pickle
import signal
import sys
from pathlib import Path

import numpy as np
from werkzeug.wrappers import Request, Response

from ..sagemaker.images import version_key
from ..training.channels import (
    CSV_TYPES,
    LIBSVM_TYPES,
    PARQUET_TYPES,
    RECORDIO_TYPES,
    not_accepted,
)

log = logging.getLogger("xgboost-serving")

ACCEPT_TYPES = ["application/json", "application/jsonlines", "application/x-recordio-protobuf",
                "text/csv"]
MAX_CONTENT_LENGTH = 6 * 1024 * 1024
_NAN_TEXTS = ["", "nan", "NaN", "NAN", "-nan"]
_SMALL_PAYLOAD = 16 * 1024


class UnparsablePayload(ValueError):
    """The body cannot be read as the declared content type (the container answers 415)."""


def parse_payload(payload: bytes, content_type: str | None) -> tuple[np.ndarray | object, str]:
    """The request's feature rows and the format they came in."""
    kind = (content_type or "libsvm").split(";")[0].strip().lower()
    if kind in CSV_TYPES:
        return _parse_csv(payload), "csv"
    if kind in LIBSVM_TYPES:
        return _parse_libsvm(payload), "libsvm"
    if kind in PARQUET_TYPES or kind in RECORDIO_TYPES:
        raise UnparsablePayload(f"Content-type {content_type} is not supported.")
    raise UnparsablePayload(not_accepted(content_type))


def _parse_csv(payload: bytes) -> np.ndarray:
    """The container's reading: stripped, rows on newlines, an empty field is NaN, every other
    field a float (``float("abc")`` fails), all rows the same width."""
    try:
        text = payload.strip().decode("utf-8")
        first = text.split("\n", 1)[0]
        delimiter = csv.Sniffer().sniff(first[:512]).delimiter
        if delimiter.isalnum():
            delimiter = ","
        if len(text) <= _SMALL_PAYLOAD:  # a few rows: plain Python beats pandas' set-up cost
            rows = [line.split(delimiter) for line in text.split("\n")]
            _check_widths({len(row) - 1 for row in rows})
            return np.array([[float(v) if v else np.nan for v in row] for row in rows])
        _check_widths({line.count(delimiter) for line in text.split("\n")})
        return _read_many_rows(text, delimiter)
    except (ValueError, csv.Error, UnicodeDecodeError) as error:
        raise UnparsablePayload(
            "Loading csv data failed with Exception, please ensure data is in csv format:\n "
            f"{type(error)}\n {error}"
        ) from None


def _check_widths(delimiters_per_row: set[int]) -> None:
    if len(delimiters_per_row) > 1:
        widths = ", ".join(str(w + 1) for w in sorted(delimiters_per_row))
        raise ValueError(f"rows have different numbers of fields ({widths})")


def _read_many_rows(text: str, delimiter: str) -> np.ndarray:
    import pandas as pd

    return pd.read_csv(io.StringIO(text), header=None, sep=delimiter, dtype=np.float64,
                       keep_default_na=False, na_values=_NAN_TEXTS).to_numpy()


def _parse_libsvm(payload: bytes):
    from sklearn.datasets import load_svmlight_file

    try:
        text = payload.strip().decode("utf-8")
        if not any(":" in token for token in text.split()):
            raise ValueError(f"no feature:value pair in {text[:50]!r}")
        features, _ = load_svmlight_file(io.BytesIO(text.encode()), zero_based="auto")
        return features
    except (ValueError, UnicodeDecodeError) as error:
        raise UnparsablePayload(
            "Loading libsvm data failed with Exception, please ensure data is in libsvm "
            f"format:\n {type(error)}\n {error}"
        ) from None


def load_boosters(model_dir: Path) -> list:
    """Every model file in the folder (dotfiles ignored); saved models first, then pickles."""
    import xgboost as xgb

    boosters = []
    for path in sorted(model_dir.iterdir()):
        if path.name.startswith("."):
            log.warning("Ignoring dotfile '%s' found in model directory - please exclude "
                        "dotfiles from model archives", path)
            continue
        if not path.is_file():
            continue
        log.info("Loading the model from %s", path)
        booster = xgb.Booster()
        try:
            booster.load_model(bytearray(path.read_bytes()))  # format read from the bytes
        except xgb.core.XGBoostError as load_error:
            try:
                with open(path, "rb") as handle:
                    booster = pickle.load(handle)
            except Exception as pickle_error:
                raise RuntimeError(f"Model {path} cannot be loaded:\nPickle load error="
                                   f"{pickle_error}\nXGB load model error={load_error}") from None
        booster.set_param("nthread", 1)
        objective = json.loads(booster.save_config())["learner"]["objective"]["name"]
        log.info("Model objective : %s", objective)
        boosters.append(booster)
    if not boosters:
        raise RuntimeError(f"no model file found in {model_dir}")
    return boosters


class ScoringService:
    """The WSGI application of one model server."""

    def __init__(self, model_dir: Path, image_version: str) -> None:
        self.model_dir = model_dir
        self.version = version_key(image_version)
        self.boosters: list | None = None
        self.load_error: str | None = None

    @property
    def newline_csv(self) -> bool:
        return self.version >= (1, 2, 2)

    def load(self) -> None:
        try:
            self.boosters = load_boosters(self.model_dir)
            if not self.newline_csv:  # older containers served only the first model
                self.boosters = self.boosters[:1]
        except Exception as error:
            self.load_error = f"Unable to load model: {error}"
            log.error(self.load_error)

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = MAX_CONTENT_LENGTH
        if request.path == "/ping" and request.method == "GET":
            response = (Response(self.load_error, status=500) if self.load_error
                        else Response("", status=200))
        elif request.path == "/invocations" and request.method == "POST":
            response = self.invocations(request)
        elif request.path == "/execution-parameters" and request.method == "GET":
            response = Response(json.dumps({
                "MaxConcurrentTransforms": os.cpu_count() or 1,
                "BatchStrategy": "MULTI_RECORD",
                "MaxPayloadInMB": MAX_CONTENT_LENGTH // 1024**2,
            }), content_type="application/json")
        else:
            response = Response("{}", status=404)
        return response(environ, start_response)

    def invocations(self, request: Request) -> Response:
        payload = request.get_data()
        if len(payload) == 0:
            return Response("", status=204)
        try:
            features, kind = parse_payload(payload, request.content_type)
        except UnparsablePayload as error:
            return Response(str(error), status=415)
        if self.load_error:
            return Response(self.load_error, status=500)
        try:
            predictions = self.predict(features, kind)
        except Exception as error:
            return Response(f"Unable to evaluate payload provided: {error}", status=400)
        return self.encode(predictions, request.headers.get("Accept", ""))

    def predict(self, features, kind: str) -> np.ndarray:
        import xgboost as xgb

        if self.version < (1, 3):
            self._check_feature_size(features, kind)
        matrix = xgb.DMatrix(features)
        scores = [b.predict(matrix, validate_features=False) for b in self.boosters]
        return scores[0] if len(scores) == 1 else np.mean(scores, axis=0)

    def _check_feature_size(self, features, kind: str) -> None:
        """Pickled models (before 1.3-1) carry no feature check of XGBoost's own."""
        expected, given = self.boosters[0].num_features(), features.shape[1]
        if kind == "libsvm" and given > expected + 1:
            raise ValueError(f"Feature size of libsvm inference data {given} is larger than "
                             f"feature size of trained model {expected}.")
        if kind == "csv" and given not in (expected, expected - 1):
            raise ValueError(f"Feature size of csv inference data {given} is not consistent "
                             f"with feature size of trained model {expected}.")

    def encode(self, predictions: np.ndarray, accept: str) -> Response:
        values = predictions.tolist()
        if not self.newline_csv:  # 1.0-1, 1.2-1: one comma-separated line; Accept ignored
            return Response(",".join(map(str, values)), mimetype="text/csv")
        accept = accept.strip().lower()
        if accept in ("", "*/*"):
            accept = "text/csv"
        if accept not in ACCEPT_TYPES:
            return Response(f"Accept type {accept} is not supported. Please use supported "
                            f"accept types: {ACCEPT_TYPES}.", status=406)
        if accept == "application/json":
            body = json.dumps({"predictions": [{"score": v} for v in values]})
            return Response(body, mimetype="application/json")
        if accept == "text/csv":
            rows = (",".join(map(str, v)) if isinstance(v, list) else str(v) for v in values)
            return Response("\n".join(rows) + "\n", mimetype="text/csv")
        return Response(f"{accept} is not an accepted Accept type for this algorithm without "
                        "selectable inference output", status=500)


def serve(model_dir: Path, image_version: str, threads: int = 8) -> int:
    """Load the model, listen on a free loopback port, print it as JSON, serve until SIGTERM."""
    from ..training.algorithm import configure_logging
    from ..wsgi import create_server

    configure_logging(version_key(image_version))
    service = ScoringService(model_dir, image_version)
    service.load()
    server = create_server(service, threads=threads, ident="xgboost-serving")
    print(json.dumps({"port": server.effective_port}), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server.run()
    sys.stdout.flush()
    return 0
