"""Benchmark of the offline backend on the tutorial's data, through the real SDK.

Prints: seconds from ``fit()`` call to return and from ``deploy()`` call to InService (first and
second run on a fresh server), scoring the 12,357-row test set through the endpoint against
``Booster.predict`` in process, single-row latency p50/p99, and peak memory of the server and of
a model server. Targets: fit < 3 s, deploy < 3 s, scoring ratio < 10, single-row p50 < 5 ms.

    python benchmarks/offline_backend.py [--data PATH] [--rows 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="bank_clean.csv (default: $BANK_CLEAN_CSV, "
                        "../shared/data, or the tutorial's address)")
    parser.add_argument("--rows", type=int, default=1000, help="single-row requests to time")
    args = parser.parse_args()
    os.environ["LOCAL_AWS_STATE_DIR"] = tempfile.mkdtemp(prefix="local-aws-bench-")
    os.environ["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"

    import numpy as np
    import xgboost as xgb
    from sagemaker import image_uris
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.serializers import CSVSerializer

    from helpers import data
    from helpers.artifacts import load_booster
    from helpers.backend import open_backend
    from helpers.local import find, stop
    from helpers.local.inventory import fetch

    shared = ROOT.parent / "shared" / "data" / "bank_clean.csv"
    source = args.data or os.environ.get(data.SOURCE_ENV) or (shared if shared.is_file() else None)
    frame = data.load(data.locate(source))
    train, test = data.split(frame)
    started = time.perf_counter()
    backend = open_backend("local")
    print(f"server start and session set-up: {time.perf_counter() - started:.2f} s")
    s3 = backend.boto_session.client("s3")
    s3.create_bucket(Bucket="benchmark")
    with tempfile.TemporaryDirectory() as folder:
        for name, part in (("train", train), ("test", test)):
            path = data.write_channel(part, Path(folder) / f"{name}.csv")
            s3.upload_file(str(path), "benchmark", f"bank/{name}/{name}.csv")
    inputs = {"train": TrainingInput("s3://benchmark/bank/train", content_type="csv"),
              "validation": TrainingInput("s3://benchmark/bank/test", content_type="csv")}
    image = image_uris.retrieve("xgboost", backend.region, "3.0-5")
    features = data.features(test).to_numpy()
    time.sleep(3)  # let the warm container processes finish importing, as a learner's pause does

    try:
        for attempt in (1, 2):
            estimator = Estimator(image, backend.role, instance_count=1,
                                  instance_type="ml.m4.xlarge", output_path="s3://benchmark/out",
                                  sagemaker_session=backend.session, use_spot_instances=True,
                                  max_run=300, max_wait=600)
            estimator.set_hyperparameters(max_depth=5, eta=0.2, gamma=4, min_child_weight=6,
                                          subsample=0.7, objective="binary:logistic",
                                          num_round=50)
            started = time.perf_counter()
            estimator.fit(inputs, logs=False)
            fit_seconds = time.perf_counter() - started
            started = time.perf_counter()
            predictor = estimator.deploy(1, "ml.m4.xlarge", serializer=CSVSerializer())
            deploy_seconds = time.perf_counter() - started
            print(f"run {attempt}: fit() {fit_seconds:.2f} s (target < 3), "
                  f"deploy() to InService {deploy_seconds:.2f} s (target < 3)")
            if attempt == 1:
                predictor.delete_model()
                predictor.delete_endpoint()
                time.sleep(3)

        booster = load_booster(estimator.model_data, backend.boto_session)
        runtime = backend.boto_session.client("sagemaker-runtime")
        body = CSVSerializer().serialize(features).encode()
        invoke_times, sdk_times, local_times = [], [], []
        for _ in range(5):
            started = time.perf_counter()
            answer = runtime.invoke_endpoint(EndpointName=predictor.endpoint_name,
                                             ContentType="text/csv", Body=body)["Body"].read()
            invoke_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            predictor.predict(features)
            sdk_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            expected = booster.predict(xgb.DMatrix(features))
            local_times.append(time.perf_counter() - started)
        scores = np.array(answer.decode().split(), dtype=float)
        accuracy = float(np.mean(np.round(scores) == test[data.LABEL].to_numpy()))
        invoke, sdk, direct = (statistics.median(t) for t in (invoke_times, sdk_times,
                                                                local_times))
        print(f"scoring {len(features):,} rows ({len(body) / 1e6:.1f} MB of CSV): "
              f"InvokeEndpoint {invoke * 1000:.1f} ms, Booster.predict in process "
              f"{direct * 1000:.1f} ms, ratio {invoke / direct:.1f} (target < 10); "
              f"Predictor.predict with the SDK's CSVSerializer {sdk * 1000:.1f} ms "
              f"(ratio {sdk / direct:.1f}); max |difference| "
              f"{np.max(np.abs(scores - expected)):.2e}; accuracy {accuracy:.4f}")

        row = ",".join(str(v) for v in features[0]).encode()
        latencies = []
        for _ in range(args.rows):
            started = time.perf_counter()
            runtime.invoke_endpoint(EndpointName=predictor.endpoint_name,
                                    ContentType="text/csv", Body=row)["Body"].read()
            latencies.append((time.perf_counter() - started) * 1000)
        p50, p99 = np.percentile(latencies, [50, 99])
        print(f"single-row InvokeEndpoint over {args.rows}: p50 {p50:.2f} ms (target < 5), "
              f"p99 {p99:.2f} ms")

        server = find()
        model_servers = [s["pid"] for e in fetch(server.url)["Endpoints"]
                         for s in e["ModelServers"]]
        print(f"peak memory: server {peak_rss_mib(server.pid):.0f} MiB, model server "
              f"{max(peak_rss_mib(p) for p in model_servers):.0f} MiB")
        predictor.delete_model()
        predictor.delete_endpoint()
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
