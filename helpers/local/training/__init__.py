"""Training: the platform (``platform.py``) and the built-in XGBoost algorithm it runs."""
