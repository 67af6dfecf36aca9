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
# # 04 準備資料 · Prepare the data
#
# **中文**：下載銀行電話行銷資料 `bank_clean.csv`（客戶會不會購買定存？），檢查它，
# 依 70/30 切分（`random_state=1729`），寫成「標籤在第一欄、無標題列」的 CSV，上傳到 S3 的
# `train/` 與 `test/`。
#
# **English**: download `bank_clean.csv` (bank telemarketing: will the customer buy?), check
# it, split it 70/30 with `random_state=1729`, write label-first, header-less CSVs and upload
# them as the `train/` and `test/` channels.
#
# *Run first / 先執行*: `03_s3_bucket`.

# %% tags=["parameters"]
backend = "local"
region = "us-east-1"
run_dir = ""
data_source = ""
train_fraction = 0.7
split_seed = 1729

# %%
from helpers import data
from helpers.notebook import begin

step = begin("04_prepare_data", backend=backend, region=region, run_dir=run_dir,
             data_source=data_source, train_fraction=train_fraction, split_seed=split_seed)
bucket_name, prefix = step.require("bucket", "prefix")

# %% [markdown]
# 資料來源依序為：參數 `data_source`、環境變數 `BANK_CLEAN_CSV`、教學的公開網址（只下載一次，
# 之後用快取）。下載到錯誤頁面或被截斷的檔案會在這裡被擋下。
#
# The data comes from the `data_source` parameter, else `$BANK_CLEAN_CSV`, else the
# tutorial's public address (downloaded once, then cached). A truncated file or a saved error
# page is stopped here with a clear message.

# %%
import pandas as pd

path = data.locate(data_source)
model_data = pd.read_csv(path, index_col=0)
data.validate(model_data, source=path.name)
print(f"{model_data.shape[0]:,} rows, {model_data.shape[1]} columns "
      f"({len(data.NUMERIC)} numeric, {model_data.shape[1] - len(data.NUMERIC) - 2} 0/1 flags, "
      "label pair y_no / y_yes)")

# %% [markdown]
# 原教學用 `np.split(model_data.sample(frac=1, random_state=1729), [int(0.7 * len(model_data))])`。
# 在 pandas 3 上，`np.split` 作用於 DataFrame 會回傳 numpy 陣列而非 DataFrame，之後的欄位操作會失敗，
# 所以改用 `iloc` 切開，結果相同。
#
# The tutorial used `np.split` on the shuffled DataFrame. Under pandas 3 that returns numpy
# arrays, not DataFrames, and the column code after it fails; cutting with `iloc` gives the
# same rows.

# %%
shuffled = model_data.sample(frac=1, random_state=split_seed)
cut = int(train_fraction * len(shuffled))
train_data, test_data = shuffled.iloc[:cut], shuffled.iloc[cut:]
print(train_data.shape, test_data.shape)

# %% [markdown]
# 內建 XGBoost 演算法讀 CSV 時，**第一欄是標籤**，且**沒有標題列**。
# The built-in XGBoost algorithm reads CSV with the **label in the first column** and **no
# header row**.

# %%
folder = step.state.folder
pd.concat([train_data["y_yes"], train_data.drop(["y_no", "y_yes"], axis=1)],
          axis=1).to_csv(folder / "train.csv", index=False, header=False)
pd.concat([test_data["y_yes"], test_data.drop(["y_no", "y_yes"], axis=1)],
          axis=1).to_csv(folder / "test.csv", index=False, header=False)

# %%
import boto3

s3 = boto3.Session().resource("s3")
s3.Bucket(bucket_name).Object(f"{prefix}/train/train.csv").upload_file(str(folder / "train.csv"))
s3.Bucket(bucket_name).Object(f"{prefix}/test/test.csv").upload_file(str(folder / "test.csv"))
train_uri = f"s3://{bucket_name}/{prefix}/train"
test_uri = f"s3://{bucket_name}/{prefix}/test"
print(train_uri)
print(test_uri)

# %% [markdown]
# 類別不平衡：只有約一成客戶購買。準確率 89% 聽起來很高，但「全部猜不買」也有約 89%，
# 所以 07 會同時看混淆矩陣與 ROC。
#
# The classes are unbalanced: about one customer in nine buys. 89% accuracy sounds high, but
# always guessing "no" scores about as much, which is why 07 also looks at the confusion
# matrix and the ROC curve.

# %%
import matplotlib.pyplot as plt

balance = pd.DataFrame({"train": train_data["y_yes"].value_counts(),
                        "test": test_data["y_yes"].value_counts()}).rename(
    index={0: "no purchase", 1: "purchase"})
ax = balance.T.plot.bar(stacked=True, rot=0, title="Class balance of the split")
ax.set_ylabel("rows")
plt.show()
balance

# %%
step.record(train_uri=train_uri, test_uri=test_uri, train_rows=len(train_data),
            test_rows=len(test_data))

# %% [markdown]
# ## 小結 · Summary
#
# 訓練集 28,831 列、測試集 12,357 列已在 S3。28,831 training and 12,357 test rows are in S3.
# 下一步 / next: `05_train`.
