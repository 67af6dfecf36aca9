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
# # 05 訓練模型 · Train the model
#
# **中文**：用 SageMaker 內建的 XGBoost 映像檔建立 `Estimator`，以 Spot 執行個體訓練 50 輪，
# 同時看訓練集與驗證集的 logloss。
#
# **English**: train the built-in XGBoost image with an `Estimator` on spot instances for 50
# rounds, watching train and validation logloss.
#
# *Run first / 先執行*: `04_prepare_data`.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""
xgboost_version = "3.0-5"
train_instance_type = "ml.m4.xlarge"
train_instance_count = 1
use_spot_instances = True
max_run = 300
max_wait = 600
hyperparameters = {"max_depth": 5, "eta": 0.2, "gamma": 4, "min_child_weight": 6,
                   "subsample": 0.7, "objective": "binary:logistic", "num_round": 50}

# %%
from helpers.notebook import begin

step = begin("05_train", backend=backend, region=region, run_dir=run_dir,
             xgboost_version=xgboost_version, train_instance_type=train_instance_type,
             train_instance_count=train_instance_count, use_spot_instances=use_spot_instances,
             max_run=max_run, max_wait=max_wait, hyperparameters=hyperparameters)
output_path, train_uri, test_uri = step.require("output_path", "train_uri", "test_uri")
session, role = step.session, step.role

# %% [markdown]
# 內建演算法的映像檔 URI 由 SDK 依區域與版本查出。原教學用 `1.0-1`（仍可用）；預設改為 `3.0-5`。
# The image URI comes from the SDK for the region and version. The tutorial used `1.0-1`,
# which still works; the default here is `3.0-5`.

# %%
from sagemaker import image_uris

container = image_uris.retrieve("xgboost", step.region, xgboost_version)
print(container)

# %% [markdown]
# > **💰 費用 / Cost**: on AWS the job bills per second of `ml.m4.xlarge` (about USD 0.24 an
# > hour on demand in us-east-1); spot training usually saves 60-90%. `max_run` caps the
# > training time, `max_wait` the time including waiting for spot capacity. 離線不收費。

# %%
import sagemaker
from sagemaker.inputs import TrainingInput

xgb = sagemaker.estimator.Estimator(
    container, role, instance_count=train_instance_count, instance_type=train_instance_type,
    output_path=output_path, sagemaker_session=session, use_spot_instances=use_spot_instances,
    max_run=max_run, max_wait=max_wait if use_spot_instances else None, tags=step.tags)
xgb.set_hyperparameters(**hyperparameters)

# %% [markdown]
# `train` 與 `validation` 兩個通道（channel）都是「標籤在第一欄」的 CSV；`logs=True` 會把
# CloudWatch 中的容器日誌串流到這裡，每輪一行。
#
# Both channels are label-first CSV; `logs=True` streams the container's CloudWatch log here,
# one line per round.
#
# > **AWS 與離線 / AWS vs offline**: on AWS the job first waits minutes for an instance; offline
# > it starts at once, and the status lines and log come from the local server.

# %%
xgb.fit({"train": TrainingInput(train_uri, content_type="csv"),
         "validation": TrainingInput(test_uri, content_type="csv")}, logs=True)

# %%
import matplotlib.pyplot as plt

from helpers.training import metric_history, plot_history

history = metric_history(step.backend.boto_session, xgb.latest_training_job.name)
plot_history(history)
plt.show()
history.tail(3)

# %% [markdown]
# 模型存在 S3 的 `model.tar.gz` 裡，檔名 `xgboost-model`。
# The model is `xgboost-model` inside `model.tar.gz` in S3.

# %%
print(xgb.model_data)

# %%
step.record(job_name=xgb.latest_training_job.name, model_data=xgb.model_data,
            image_uri=container)

# %% [markdown]
# ## 小結 · Summary
#
# 模型已訓練並存到 S3。The model is trained and stored in S3. 下一步 / next: `06_deploy`.
