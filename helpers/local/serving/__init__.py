"""Hosting: the platform (``hosting.py``) and the built-in XGBoost model server it runs."""
