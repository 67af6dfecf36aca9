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
# # 06 部署端點 · Deploy an endpoint
#
# **中文**：把訓練好的模型部署成即時推論端點（endpoint），用 CSV 序列化器送資料，
# 並示範之後如何只憑端點名稱重新連上它。
#
# **English**: deploy the model as a real-time endpoint with a CSV serializer, then re-attach
# to it by name, as a later session would.
#
# *Run first / 先執行*: `05_train`.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""
endpoint_instance_type = "ml.m4.xlarge"
endpoint_instance_count = 1

# %%
from helpers.notebook import begin

step = begin("06_deploy", backend=backend, region=region, run_dir=run_dir,
             endpoint_instance_type=endpoint_instance_type,
             endpoint_instance_count=endpoint_instance_count)
(job_name,) = step.require("job_name")
session = step.session

# %% [markdown]
# `Estimator.attach` 從訓練工作名稱取回 estimator，所以部署不必和訓練在同一個 kernel。
# `Estimator.attach` rebuilds the estimator from the job's name, so deploying does not need
# the kernel that trained it.
#
# > **💰 費用 / Cost**: an endpoint bills per hour while it exists (`ml.m4.xlarge` about USD
# > 0.28 an hour in us-east-1), used or not. `08_cleanup` deletes it. 端點存在就計費，用完請刪除。

# %%
from sagemaker.estimator import Estimator
from sagemaker.serializers import CSVSerializer

xgb = Estimator.attach(job_name, sagemaker_session=session)
xgb_predictor = xgb.deploy(initial_instance_count=endpoint_instance_count,
                           instance_type=endpoint_instance_type, serializer=CSVSerializer(),
                           tags=step.tags)
endpoint_name = xgb_predictor.endpoint_name
print(f"endpoint: {endpoint_name}")

# %% [markdown]
# > **AWS 與離線 / AWS vs offline**: on AWS `deploy` takes 5 to 8 minutes; offline a model
# > server starts on this machine in well under a second, on a free port of 127.0.0.1.
#
# 重新連上端點：只需要名稱。Re-attach by name:

# %%
from sagemaker.predictor import Predictor

predictor = Predictor(endpoint_name=endpoint_name, sagemaker_session=session,
                      serializer=CSVSerializer())
description = session.sagemaker_client.describe_endpoint(EndpointName=endpoint_name)
config = session.sagemaker_client.describe_endpoint_config(
    EndpointConfigName=description["EndpointConfigName"])
model_name = config["ProductionVariants"][0]["ModelName"]
print(f"status: {description['EndpointStatus']}")
print(f"variant: {config['ProductionVariants'][0]['VariantName']}")

# %%
step.record(endpoint_name=endpoint_name, endpoint_config_name=description["EndpointConfigName"],
            model_name=model_name)

# %% [markdown]
# ## 小結 · Summary
#
# 端點已上線（InService）。The endpoint is InService. 下一步 / next: `07_evaluate`.
