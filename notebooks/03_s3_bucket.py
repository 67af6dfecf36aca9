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
# # 03 建立 S3 儲存貯體 · Create the S3 bucket
#
# **中文**：建立存放資料與模型的 S3 儲存貯體，並設定模型輸出路徑。
#
# **English**: create the S3 bucket that holds the data and the model, and set the output
# path for training.
#
# *Run first / 先執行*: `02_jupyter_and_sdk`.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""
bucket_name = ""
prefix = "sagemaker/DEMO-xgboost-dm"

# %%
from helpers import s3 as s3_helpers
from helpers.notebook import begin

step = begin("03_s3_bucket", backend=backend, region=region, run_dir=run_dir,
             bucket_name=bucket_name, prefix=prefix)
bucket_name = bucket_name or s3_helpers.default_bucket_name(step.backend.account_id,
                                                             step.region)
print(f"bucket: {bucket_name}")

# %% [markdown]
# S3 儲存貯體名稱全球唯一，所以預設名稱含帳號 ID 與區域。原教學的程式只在一個區域能建立：
# `us-east-1` **不能**帶 `LocationConstraint`，其他區域**必須**帶。
#
# Bucket names are global, so the default name carries the account id and the region. The
# tutorial's code only works in one region: `us-east-1` takes **no** `LocationConstraint`,
# every other region **needs** one.

# %%
import boto3
from botocore.exceptions import ClientError

s3 = boto3.resource("s3")
existed = s3_helpers.exists(s3.meta.client, bucket_name)
if not existed:
    try:
        if step.region == "us-east-1":
            s3.create_bucket(Bucket=bucket_name)
        else:
            s3.create_bucket(Bucket=bucket_name,
                             CreateBucketConfiguration={"LocationConstraint": step.region})
        print("S3 bucket created successfully")
    except ClientError as error:
        print(s3_helpers.explain(error, bucket_name, step.region))
else:
    print(f"The bucket {bucket_name} already exists in this account: it will be used.")

# %% [markdown]
# 這個執行（run）建立的儲存貯體會加上標籤，08 與 `python -m helpers.cleanup` 靠標籤找到它。
# 早已存在的儲存貯體不加標籤，清理時也不會刪除，只刪本教學的物件。
#
# A bucket this run creates is tagged, so `08_cleanup` and `python -m helpers.cleanup` can
# find it. A bucket that already existed is neither tagged nor deleted later: only this
# tutorial's objects are removed from it.

# %%
run_tags = {t["Key"]: t["Value"] for t in step.tags}
bucket_tags = s3_helpers.tags_of(s3.meta.client, bucket_name)
made_by_this_run = not existed or all(bucket_tags.get(k) == v for k, v in run_tags.items())
if made_by_this_run:
    s3_helpers.add_tags(s3.meta.client, bucket_name, step.tags)
output_path = f"s3://{bucket_name}/{prefix}/output"
print(f"made by this run: {made_by_this_run}")
print(f"output path: {output_path}")

# %%
step.record(backend=step.backend.name, region=step.region, bucket=bucket_name, prefix=prefix,
            output_path=output_path, bucket_created=made_by_this_run,
            offline_server=step.backend.server_id, run_id=step.run_id)

# %% [markdown]
# > **💰 費用 / Cost**: S3 bills for stored bytes and requests; this tutorial stores a few MB
# > (well under one US cent a month). 本教學只存幾 MB 資料，費用極低。
#
# ## 小結 · Summary
#
# 儲存貯體與輸出路徑已記錄在執行狀態中。The bucket and output path are in the run state.
# 下一步 / next: `04_prepare_data`.
