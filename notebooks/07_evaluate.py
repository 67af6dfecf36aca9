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
# # 07 評估模型 · Evaluate the model
#
# **中文**：把測試集送進端點取得分數，四捨五入成「買／不買」，印出整體分類正確率與混淆矩陣，
# 並畫出 ROC 曲線。
#
# **English**: score the test set through the endpoint, round the scores to buy / not buy,
# print the overall classification rate and the confusion matrix, and draw the ROC curve.
#
# *Run first / 先執行*: `06_deploy`.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""

# %%
from helpers.notebook import begin

step = begin("07_evaluate", backend=backend, region=region, run_dir=run_dir)
endpoint_name, test_uri = step.require("endpoint_name", "test_uri")
session = step.session

# %% [markdown]
# 測試資料從 S3 讀回：第一欄是標籤，其餘是特徵。
# The test data comes back from S3: the label in the first column, features after it.

# %%
import boto3
import pandas as pd

bucket, key = test_uri.removeprefix("s3://").split("/", 1)
local_copy = step.state.folder / "test-from-s3.csv"
boto3.client("s3").download_file(bucket, f"{key}/test.csv", str(local_copy))
test = pd.read_csv(local_copy, header=None)
observed, features = test[0].to_numpy(), test.drop(columns=0).to_numpy()
print(f"{len(test):,} rows, {features.shape[1]} features")

# %% [markdown]
# 每次呼叫端點的內容上限是 6 MB，所以分批送出。容器回應的格式依版本不同：1.2 以前是一行以逗號分隔，
# 之後是一行一個分數；原教學的 `np.fromstring(..., sep=",")` 已被棄用，也讀不了後者，
# `parse_scores` 兩種都讀。
#
# A request body is limited to 6 MB, so the rows go in batches under it. The answer's format
# depends on the container version: one comma-separated line up to 1.2, one score per line
# after. The tutorial's `np.fromstring(..., sep=",")` is deprecated and misreads the newer
# form; `parse_scores` reads both.

# %%
import numpy as np
from sagemaker.predictor import Predictor
from sagemaker.serializers import CSVSerializer

from helpers.evaluate import batches, parse_scores

predictor = Predictor(endpoint_name=endpoint_name, sagemaker_session=session,
                      serializer=CSVSerializer())
blocks = list(batches(features))
scores = np.concatenate([parse_scores(predictor.predict(block)) for block in blocks])
predictions = np.round(scores)
print(f"{len(blocks)} request(s), {len(scores):,} scores")

# %% [markdown]
# 原教學的輸出格式：整體分類正確率，以及每一格占該預測欄的比例。
# The tutorial's printout: the overall classification rate, and each cell as a share of its
# predicted column.

# %%
from helpers.evaluate import classification_rate_report, confusion

counts = confusion(observed, predictions)
print(classification_rate_report(counts))

# %%
import matplotlib.pyplot as plt

from helpers.evaluate import plot_confusion, plot_roc

figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
plot_confusion(counts, ax=left)
auc = plot_roc(observed, scores, ax=right)
plt.show()
print(f"AUC: {auc:.4f}")

# %% [markdown]
# 與教學公布的結果比較（89.5%；TN 10,769、FP 167、FN 1,133、TP 288）。XGBoost 版本與執行環境
# 不同，數字會略有差異。
#
# Compared with the tutorial's published result; the XGBoost version and the machine differ,
# so the figures differ slightly.

# %%
from helpers.evaluate import accuracy, compare_with_published

compare_with_published(counts)

# %%
step.record(accuracy=round(accuracy(counts), 4), confusion=counts, auc=round(auc, 4))

# %% [markdown]
# ## 小結 · Summary
#
# 模型正確率約 89.5%，但多數購買者仍被判為不買（FN 偏高）：類別不平衡時，正確率不是全部。
# About 89.5% of predictions are right, yet most buyers are missed (many FN): with unbalanced
# classes accuracy is not the whole story. 下一步 / next: `08_cleanup`.
