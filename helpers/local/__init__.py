"""The offline backend: one server on 127.0.0.1 that speaks the AWS APIs the tutorial uses.

moto serves S3, STS, IAM and CloudWatch Logs; SageMaker's control plane and runtime are ours and
really train XGBoost and really serve the model. ``python -m helpers.local start`` runs it.
"""

from .lifecycle import LocalServerError, RunningServer, find, start, stop
from .loopback import ACCOUNT_ID

__all__ = ["ACCOUNT_ID", "LocalServerError", "RunningServer", "find", "start", "stop"]
