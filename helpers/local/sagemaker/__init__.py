"""The SageMaker control plane and runtime of the offline backend (moto's own records only)."""
