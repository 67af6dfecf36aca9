"""The model server's payload parsing and response encoding, without a network."""

from __future__ import annotations

import json

import numpy as np
import pytest
import xgboost as xgb
from werkzeug.test import Client

from helpers.local.serving.model_server import ScoringService, UnparsablePayload, parse_payload


def test_csv_rows_with_empty_fields_become_nan():
    rows, kind = parse_payload(b"1,2,3\n4,,6\n", "text/csv")
    assert kind == "csv" and rows.shape == (2, 3) and np.isnan(rows[1, 1])


@pytest.mark.parametrize("body, content_type, words", [
    (b"1,2\n3,x", "text/csv", "could not convert string to float"),
    (b"1,2\n3,4,5", "text/csv", "rows have different numbers of fields"),
    (b"\xff\xfe", "text/csv", "UnicodeDecodeError"),
    (b"1,2", "application/json", "is not an accepted ContentType"),
    (b"1,2,3", None, "Loading libsvm data failed"),
])
def test_unparsable_payloads(body, content_type, words):
    with pytest.raises(UnparsablePayload, match=words):
        parse_payload(body, content_type)


def test_libsvm_payload():
    rows, kind = parse_payload(b"0 1:0.5 3:2\n0 2:1", "text/libsvm")
    assert kind == "libsvm" and rows.shape[0] == 2


@pytest.fixture
def model_dir(tmp_path):
    booster = xgb.train({"objective": "binary:logistic"},
                        xgb.DMatrix(np.eye(3), label=[0, 1, 0]), 2)
    (tmp_path / "xgboost-model").write_bytes(bytes(booster.save_raw("ubj")))
    return tmp_path


def _client(model_dir, version):
    service = ScoringService(model_dir, version)
    service.load()
    return Client(service)


def test_ping_and_execution_parameters(model_dir):
    client = _client(model_dir, "3.0-5")
    assert client.get("/ping").status_code == 200
    parameters = json.loads(client.get("/execution-parameters").data)
    assert parameters["MaxPayloadInMB"] == 6 and parameters["BatchStrategy"] == "MULTI_RECORD"


def test_newer_containers_answer_one_score_per_line(model_dir):
    body = _client(model_dir, "1.7-1").post("/invocations", data=b"1,0,0\n0,1,0",
                                             content_type="text/csv").data.decode()
    assert body.endswith("\n") and len(body.splitlines()) == 2


def test_older_containers_answer_one_comma_separated_line(model_dir):
    body = _client(model_dir, "1.2-1").post("/invocations", data=b"1,0,0\n0,1,0",
                                             content_type="text/csv").data.decode()
    assert "\n" not in body and len(body.split(",")) == 2


def test_empty_body_is_204_and_a_broken_model_fails_ping(model_dir, tmp_path_factory):
    client = _client(model_dir, "3.0-5")
    assert client.post("/invocations", data=b"", content_type="text/csv").status_code == 204
    broken = tmp_path_factory.mktemp("broken")
    (broken / "xgboost-model").write_bytes(b"this is not a model")
    response = _client(broken, "3.0-5").get("/ping")
    assert response.status_code == 500 and b"Unable to load model" in response.data
