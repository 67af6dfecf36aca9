"""The tutorial on its real data: split, train, deploy, score, through the real SDK offline."""

from __future__ import annotations

import numpy as np
import pytest
import xgboost as xgb
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.serializers import CSVSerializer

from helpers import data
from helpers.artifacts import load_booster
from tests.conftest import BANK_CSV
from tests.support import xgboost_image

pytestmark = pytest.mark.skipif(not BANK_CSV.is_file(), reason=f"no {BANK_CSV}")

TUTORIAL_HYPERPARAMETERS = dict(max_depth=5, eta=0.2, gamma=4, min_child_weight=6,
                                subsample=0.7, objective="binary:logistic", num_round=50)


def test_bank_data_reaches_the_tutorial_accuracy_and_the_endpoint_equals_the_booster(
        backend, bucket, tmp_path):
    train, test = data.split(data.load(BANK_CSV))
    assert (len(train), len(test)) == (28831, 12357)
    s3 = backend.boto_session.client("s3")
    for name, frame in (("train", train), ("test", test)):
        path = data.write_channel(frame, tmp_path / f"{name}.csv")
        s3.upload_file(str(path), bucket, f"bank/{name}/{name}.csv")

    estimator = Estimator(xgboost_image(backend, "1.0-1"), backend.role, instance_count=1,
                          instance_type="ml.m4.xlarge", output_path=f"s3://{bucket}/bank/output",
                          sagemaker_session=backend.session, use_spot_instances=True,
                          max_run=300, max_wait=600)
    estimator.set_hyperparameters(**TUTORIAL_HYPERPARAMETERS)
    estimator.fit({"train": TrainingInput(f"s3://{bucket}/bank/train", content_type="csv"),
                   "validation": TrainingInput(f"s3://{bucket}/bank/test", content_type="csv")},
                  logs=False)
    predictor = estimator.deploy(initial_instance_count=1, instance_type="ml.m4.xlarge",
                                 serializer=CSVSerializer())
    try:
        features = data.features(test).to_numpy()
        body = predictor.predict(features).decode()
        assert "\n" not in body  # the 1.0-1 container answers one comma-separated line
        scores = np.array(body.split(","), dtype=float)
    finally:
        predictor.delete_model()
        predictor.delete_endpoint()

    accuracy = float(np.mean(np.round(scores) == test[data.LABEL].to_numpy()))
    assert accuracy >= 0.890, accuracy
    booster = load_booster(estimator.model_data, backend.boto_session)
    in_process = booster.predict(xgb.DMatrix(features))
    assert np.max(np.abs(scores - in_process)) <= 1e-6
