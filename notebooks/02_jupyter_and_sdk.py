# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 開啟 Jupyter 並準備 SDK · Open Jupyter and set up the SDK
#
# **中文**：在筆記本執行個體上開啟 Jupyter，匯入 SageMaker Python SDK 與 boto3，
# 取得執行角色（execution role）與區域。
#
# **English**: open Jupyter, import the SageMaker Python SDK and boto3, and find the execution
# role and the region every later notebook uses.
#
# *Run first / 先執行*: `01_notebook_instance`.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""

# %%
from helpers.notebook import begin

step = begin("02_jupyter_and_sdk", backend=backend, region=region, run_dir=run_dir)
session = step.session

# %% [markdown]
# 教學使用 SDK **v2**（`sagemaker>=2.257,<3`）：v3 移除了教學所用的 `Estimator` 與 `Predictor`。
# The tutorial uses SDK **v2**: version 3 removed `Estimator` and `Predictor`, which it teaches.

# %%
import sys

import boto3
import sagemaker
import xgboost

print(f"Python     {sys.version.split()[0]}")
print(f"sagemaker  {sagemaker.__version__}")
print(f"boto3      {boto3.__version__}")
print(f"xgboost    {xgboost.__version__}")

# %% [markdown]
# 教學的程式碼：`get_execution_role()` 在筆記本執行個體上回傳它的角色。這裡把 session 傳進去，
# 離線時它回傳本機 IAM 中的角色。
#
# The tutorial's code: on a notebook instance `get_execution_role()` returns the instance's
# role. Passing the session makes the same call work offline, where the role lives in the
# local IAM.

# %%
from sagemaker import get_execution_role

role = get_execution_role(sagemaker_session=session)
my_region = boto3.session.Session().region_name
print(f"backend: {step.backend.name}")
print(f"region:  {my_region}")
print(f"role:    {role}")

# %% [markdown]
# > **AWS 與離線的差異 / AWS vs offline**: on AWS the role and region come from the notebook
# > instance; offline they come from the local server, and every boto3 client is sent there by
# > the standard `AWS_ENDPOINT_URL` setting, with dummy credentials, so nothing reaches AWS.

# %%
step.record()

# %% [markdown]
# ## 小結 · Summary
#
# SDK、角色與區域都準備好了。The SDK, the role and the region are ready.
# 下一步 / next: `03_s3_bucket`.
