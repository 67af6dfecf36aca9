"""Load on one offline endpoint: concurrent clients through the real runtime API.

Each of ``--clients`` processes sends ``--singles`` single-row and ``--batches`` full-batch
(the 12,357-row test set) InvokeEndpoint requests, interleaved. Prints errors, p50/p99 latency
per kind, throughput, and the memory of the server and the model server before and after.

    python benchmarks/load.py [--clients 8] [--singles 1000] [--batches 100] [--data PATH]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mib(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def client(job: tuple) -> tuple[list[float], list[float], list[str]]:
    """One client process: its single-row and batch latencies (ms) and its errors."""
    url, endpoint, row, batch, singles, batches = job
    import boto3
    from botocore.config import Config

    runtime = boto3.session.Session(
        region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing",
    ).client("sagemaker-runtime", endpoint_url=url,
             config=Config(retries={"max_attempts": 1}, read_timeout=120))
    single_ms, batch_ms, errors = [], [], []
    every = max(1, singles // max(batches, 1))
    sent_batches = 0
    for index in range(singles):
        for body, latencies, rows in ((row, single_ms, 1), (batch, batch_ms, None)):
            if rows is None and not (index % every == 0 and sent_batches < batches):
                continue
            started = time.perf_counter()
            try:
                answer = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="text/csv",
                                                 Body=body)["Body"].read()
                expected = 1 if rows == 1 else batch.count(b"\n") + 1
                scores = answer.count(b"\n")
                if scores != expected:
                    errors.append(f"{scores} scores for {expected} rows")
            except Exception as error:  # every failure is counted, none stops the load
                errors.append(f"{type(error).__name__}: {error}")
            latencies.append((time.perf_counter() - started) * 1000)
            if rows is None:
                sent_batches += 1
    return single_ms, batch_ms, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--data", help="bank_clean.csv (default: $BANK_CLEAN_CSV, "
                        "../shared/data, or the tutorial's address)")
    args = parser.parse_args()
    os.environ["LOCAL_AWS_STATE_DIR"] = tempfile.mkdtemp(prefix="local-aws-load-")
    os.environ["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"

    import numpy as np
    from sagemaker import image_uris
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.serializers import CSVSerializer

    from helpers import data
    from helpers.backend import open_backend
    from helpers.local import find, stop
    from helpers.local.inventory import fetch

    shared = ROOT.parent / "shared" / "data" / "bank_clean.csv"
    source = args.data or os.environ.get(data.SOURCE_ENV) or (shared if shared.is_file() else None)
    train, test = data.split(data.load(data.locate(source)))
    backend = open_backend("local")
    try:
        s3 = backend.boto_session.client("s3")
        s3.create_bucket(Bucket="load")
        with tempfile.TemporaryDirectory() as folder:
            path = data.write_channel(train, Path(folder) / "train.csv")
            s3.upload_file(str(path), "load", "train/train.csv")
        estimator = Estimator(image_uris.retrieve("xgboost", backend.region, "3.0-5"),
                              backend.role, instance_count=1, instance_type="ml.m5.large",
                              output_path="s3://load/out", sagemaker_session=backend.session)
        estimator.set_hyperparameters(max_depth=5, eta=0.2, gamma=4, min_child_weight=6,
                                      subsample=0.7, objective="binary:logistic", num_round=50)
        estimator.fit({"train": TrainingInput("s3://load/train", content_type="csv")},
                      logs=False)
        predictor = estimator.deploy(1, "ml.m5.large")
        server = find()
        [model_server] = [s["pid"] for e in fetch(server.url)["Endpoints"]
                          for s in e["ModelServers"]]
        features = data.features(test).to_numpy()
        batch = CSVSerializer().serialize(features).encode()
        row = CSVSerializer().serialize(features[:1]).encode()
        before = {"server": rss_mib(server.pid), "model server": rss_mib(model_server)}

        jobs = [(server.url, predictor.endpoint_name, row, batch, args.singles, args.batches)
                for _ in range(args.clients)]
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(args.clients) as pool:
            results = pool.map(client, jobs)
        elapsed = time.perf_counter() - started
        after = {"server": rss_mib(server.pid), "model server": rss_mib(model_server)}

        singles = np.concatenate([r[0] for r in results])
        batches = np.concatenate([r[1] for r in results])
        errors = [e for r in results for e in r[2]]
        requests = len(singles) + len(batches)
        rows = len(singles) + len(batches) * len(features)
        print(f"{args.clients} clients x ({args.singles} single-row + {args.batches} "
              f"{len(features):,}-row) requests in {elapsed:.1f} s")
        print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
        for name, values in (("single-row", singles), ("full batch", batches)):
            p50, p99 = np.percentile(values, [50, 99])
            print(f"{name}: {len(values)} requests, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        print(f"throughput: {requests / elapsed:.0f} requests/s, {rows / elapsed:,.0f} rows "
              "scored/s")
        for name in before:
            (rss0, _), (rss1, peak) = before[name], after[name]
            print(f"{name} memory: {rss0:.0f} MiB before, {rss1:.0f} MiB after, "
                  f"peak {peak:.0f} MiB")
        predictor.delete_model()
        predictor.delete_endpoint()
        return 1 if errors else 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
