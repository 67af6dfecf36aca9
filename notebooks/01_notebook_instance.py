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
# # 01 建立筆記本執行個體 · Create a notebook instance
#
# **中文**：教學的第一步是在 Amazon SageMaker 主控台建立一個筆記本執行個體（notebook
# instance），以及一個讓 SageMaker 存取 S3 的 IAM 角色。離線時，這台電腦就扮演筆記本執行個體；
# 本筆記本會檢查環境是否就緒。
#
# **English**: the tutorial starts by creating a SageMaker notebook instance and an IAM role
# that lets SageMaker use S3. Offline, this machine plays the notebook instance, and this
# notebook checks that it is ready.
#
# *Run first / 先執行*: nothing, this is the first notebook.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""
create_notebook_instance = False
notebook_instance_type = "ml.t3.medium"

# %%
from helpers.notebook import begin

step = begin("01_notebook_instance", backend=backend, region=region, run_dir=run_dir,
             create_notebook_instance=create_notebook_instance,
             notebook_instance_type=notebook_instance_type)
print(f"backend: {step.backend.name}, region: {step.region}")

# %% [markdown]
# ## 在 AWS 上 · On AWS
#
# 主控台步驟 / console steps:
# 1. 開啟 SageMaker 主控台 → **Notebook instances** → **Create notebook instance**。
#    Open the SageMaker console → *Notebook instances* → *Create notebook instance*.
# 2. 名稱例如 `sagemaker-xgboost-tutorial`，類型 `ml.t3.medium`。
#    Name it, e.g. `sagemaker-xgboost-tutorial`; type `ml.t3.medium`.
# 3. **IAM role** → *Create a new role*，允許存取任何 S3 儲存貯體。
#    *Create a new role* with access to any S3 bucket.
# 4. 狀態變成 *InService* 後，按 **Open JupyterLab**。
#    When it is *InService*, choose *Open JupyterLab*.
#
# 下一格是這些步驟背後的 boto3 呼叫，只有 `create_notebook_instance = True` 且在 AWS 上才會執行。
# The next cell holds the boto3 calls behind those steps; it runs only on AWS and only when
# `create_notebook_instance` is true.
#
# > **💰 費用 / Cost**: a notebook instance is billed per hour while it is *InService*, even
# > when idle. Stop it when you are done (console → *Stop*). 筆記本執行個體在 InService
# > 狀態時按小時計費，用完請停止。

# %%
import json

import boto3

if step.backend.name == "aws" and create_notebook_instance:
    iam = boto3.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="AmazonSageMaker-ExecutionRole-tutorial",
                           Path="/service-role/", AssumeRolePolicyDocument=json.dumps(trust),
                           Tags=step.tags)
    for policy in ("AmazonSageMakerFullAccess", "AmazonS3FullAccess"):
        iam.attach_role_policy(RoleName="AmazonSageMaker-ExecutionRole-tutorial",
                               PolicyArn=f"arn:aws:iam::aws:policy/{policy}")
    boto3.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="sagemaker-xgboost-tutorial",
        InstanceType=notebook_instance_type, RoleArn=role["Role"]["Arn"], Tags=step.tags)
    print("Creating the notebook instance sagemaker-xgboost-tutorial; open it when InService.")
else:
    print("No notebook instance created: this needs backend aws and "
          "create_notebook_instance = True.")

# %% [markdown]
# ## 離線 · Offline
#
# 離線時不需要 AWS 帳號：本機的伺服器扮演 S3、IAM、CloudWatch Logs 與 SageMaker，
# 訓練與端點都在這台電腦上真的執行。下表檢查環境。
#
# Offline there is no AWS account: a local server plays S3, IAM, CloudWatch Logs and
# SageMaker, and training and endpoints really run on this machine. The table checks the
# environment.

# %%
from helpers.environment import checks

checks(step.backend)

# %%
step.record()

# %% [markdown]
# ## 小結 · Summary
#
# - 在 AWS 上：筆記本執行個體與具 S3 存取權的 IAM 角色。On AWS: a notebook instance and an
#   IAM role with S3 access.
# - 離線：這台電腦與本機伺服器取代兩者。Offline: this machine and the local server stand in.
#
# 下一步 / next: `02_jupyter_and_sdk`.
