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
# # 08 清除資源 · Clean up
#
# **中文**：刪除端點、端點設定與模型，清空並刪除 S3 儲存貯體，最後列出本次執行還剩下什麼。
#
# **English**: delete the endpoint, its config and the model, empty and delete the bucket,
# then list what is left of this run: nothing should be.
#
# *Run first / 先執行*: `07_evaluate` (or any notebook: cleanup deletes whatever exists).
#
# > **💰 費用 / Cost**: on AWS the endpoint bills every hour until it is deleted; run this
# > notebook even when an earlier one failed. 端點在刪除前每小時計費，即使前面失敗也要執行本筆記本。

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""
delete_bucket = True

# %%
from helpers.notebook import begin

step = begin("08_cleanup", backend=backend, region=region, run_dir=run_dir,
             delete_bucket=delete_bucket)
session = step.session
endpoint_name = step.state.get("endpoint_name")
bucket_name = step.state.get("bucket")

# %% [markdown]
# `delete_model()` 要讀端點設定才知道模型名稱，所以先刪模型，再刪端點（連同其設定）。
# `delete_model()` reads the endpoint config to find the model, so it goes first;
# `delete_endpoint()` then deletes the endpoint and its config.

# %%
from sagemaker.predictor import Predictor

from helpers import cleanup

if endpoint_name and endpoint_name in {e["EndpointName"] for e in
                                       session.sagemaker_client.list_endpoints()["Endpoints"]}:
    predictor = Predictor(endpoint_name=endpoint_name, sagemaker_session=session)
    predictor.delete_model()
    predictor.delete_endpoint()
    print(f"deleted the model, the endpoint config and the endpoint {endpoint_name}")
else:
    print("no endpoint of this run to delete")

# %% [markdown]
# 若先前某一步失敗，可能留下沒有端點的模型或端點設定：依本次執行的標籤找出並刪除。
# If an earlier step failed, a model or endpoint config may exist without an endpoint: they
# are found by this run's tags and deleted.

# %%
leftovers = [r for r in cleanup.suite_resources(step.backend.boto_session, step.run_id, [])]
for line in cleanup.delete(step.backend.boto_session, leftovers):
    print(line)

# %% [markdown]
# 儲存貯體：先刪所有物件，再刪儲存貯體。若儲存貯體不是本次執行建立的，只刪本教學的物件。
# The bucket: objects first, then the bucket. A bucket this run did not create keeps
# everything but this tutorial's objects.

# %%
import boto3

from helpers import s3 as s3_helpers

s3 = boto3.resource("s3")
if bucket_name and s3_helpers.exists(s3.meta.client, bucket_name):
    bucket = s3.Bucket(bucket_name)
    if delete_bucket and step.state.get("bucket_created"):
        bucket.objects.all().delete()
        bucket.delete()
        print(f"deleted the bucket {bucket_name} and its objects")
    else:
        bucket.objects.filter(Prefix=step.state.get("prefix", "") + "/").delete()
        print(f"deleted this tutorial's objects; kept the bucket {bucket_name}")
else:
    print("no bucket of this run to delete")

# %% [markdown]
# 檢查：本次執行建立的資源應已全部刪除。Check: nothing this run made is left.

# %%
remaining = cleanup.suite_resources(step.backend.boto_session, step.run_id,
                                    [bucket_name] if bucket_name else [])
print(f"{len(remaining)} resource(s) of this run left")
cleanup.as_table(remaining)

# %% [markdown]
# 離線時，刪除端點即停止它的模型伺服器；`python -m helpers.local stop` 會停止整個本機伺服器。
# Offline, deleting the endpoint stopped its model server; `python -m helpers.local stop`
# stops the whole local server.

# %%
if step.backend.name == "local":
    from helpers.local import find
    from helpers.local.inventory import fetch

    running = [e for e in fetch(find().url)["Endpoints"] if e["EndpointName"] == endpoint_name]
    print(f"model servers of this run still running: {len(running)}")

# %%
step.state.forget("endpoint_name", "endpoint_config_name", "model_name")
step.record()

# %% [markdown]
# ## 小結 · Summary
#
# 端點、模型、設定與儲存貯體都已刪除，不會再產生費用。The endpoint, model, config and bucket
# are gone; nothing more is billed. 訓練工作的紀錄會保留在 SageMaker 中（它們不收費）。
# Training job records stay in SageMaker; they cost nothing.
