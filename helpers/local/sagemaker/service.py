"""All regions' SageMaker state of one server, wired to the training and hosting platforms."""

from __future__ import annotations

import threading
from pathlib import Path

from ..loopback import Loopback
from ..serving.hosting import EndpointHosting
from ..training.platform import TrainingRun
from ..warmpool import WarmPool
from .models import Endpoint, SageMakerBackend, TrainingJob


class SageMakerService:
    def __init__(self, state_dir: Path, loopback: Loopback) -> None:
        self.state_dir = state_dir
        self.loopback = loopback
        self._backends: dict[str, SageMakerBackend] = {}
        self._lock = threading.Lock()
        self.pool = WarmPool(spares=2)  # a tutorial trains, then deploys at once
        self.pool.fill()

    def backend(self, region: str) -> SageMakerBackend:
        with self._lock:
            if region not in self._backends:
                self._backends[region] = SageMakerBackend(
                    region, self.state_dir / region, self.loopback,
                    start_training=self._start_training, start_hosting=self._start_hosting,
                )
            return self._backends[region]

    def _start_training(self, job: TrainingJob) -> None:
        workdir = job.backend.workdir / "training-jobs" / job.name
        TrainingRun(job, workdir, self.loopback, self.pool).start()

    def _start_hosting(self, endpoint: Endpoint) -> None:
        workdir = endpoint.backend.workdir / "endpoints" / endpoint.name
        endpoint.hosting = EndpointHosting(endpoint, workdir, self.loopback, self.pool)
        endpoint.hosting.start()

    def inventory(self) -> dict:
        """Every region's training jobs and endpoints, with the processes behind them."""
        with self._lock:
            backends = list(self._backends.values())
        jobs, endpoints = [], []
        for backend in backends:
            with backend.lock:
                jobs += [{"region": backend.region, **j.summary()}
                         for j in backend.training_jobs.values()]
                records = list(backend.endpoints.values())
            for endpoint in records:
                summary = endpoint.summary()
                servers = [] if endpoint.hosting is None else [
                    {"variant": v.name, "pid": s.process.pid if s.process else None,
                     "port": s.port}
                    for v in endpoint.hosting.variants for s in v.servers]
                endpoints.append({"region": backend.region, **summary, "ModelServers": servers})
        return {"TrainingJobs": jobs, "Endpoints": endpoints}

    def shutdown(self) -> None:
        with self._lock:
            backends = list(self._backends.values())
        self.pool.close()
        for backend in backends:
            backend.shutdown()
