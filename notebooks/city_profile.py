# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 城市概况 · City profile
#
# 一个城市全部报告的概览：各专题篇幅、所有指标的最新值、多期报告间的变化（如厦门 2018 → 2022 → 2024）
# 以及叙述性表述。One city across all its reports: theme balance, latest indicator values,
# change between reports, and narrative claims.
#
# - **参数 / parameters**: `city` — a city as written in the manifest (e.g. `厦门市`).
# - 图表保存在 `figures/city/<city>/`（PNG 1920×1080 与 SVG）。

# %% tags=["parameters"]
city = "厦门市"
clean_dir = "data/clean"
figures_dir = "figures"

# %%
import pandas as pd
from IPython.display import Image, Markdown, display

from lib import charts, views

pd.set_option("display.max_colwidth", 80)
tables = views.load_clean(clean_dir)
city = views.check_city(city, tables)
reports = views.select_reports(tables, [city])
out_dir = charts.figure_dir(figures_dir, city=city)
display(Markdown(f"## {views.safe(city)}\n\n{len(reports)} 份报告 / reports: "
                 f"{views.safe(', '.join(reports['period'].astype(str)))}"))

# %% [markdown]
# ## 1. 报告 · Reports

# %%
display(views.show(reports[["report_id", "period", "report_type", "title", "published", "n_sentences"]]))

# %% [markdown]
# ## 2. 专题篇幅 · Theme balance across the city's reports
# 各专题句子字数占正文的比例（%）。

# %%
wide = views.theme_share_wide(tables, [city])
display(views.show(wide.style.format("{:.1%}") if len(wide) else wide))
fig = charts.theme_share_heatmap(tables, out_dir, [city], scope=city)
if fig:
    display(Image(filename=fig["png"], width=960))

# %% [markdown]
# ## 3. 最新指标 · Latest indicator values
# 每个指标取最新一期实际值；计划/目标值另行标明（status_zh）。

# %%
latest = views.latest(tables, None, [city])
display(views.show(latest[["theme", "name_zh", "scope_detail", "status_zh", "display", "period", "scope", "report_id", "source_text"]],
                   "暂无指标数据 / no indicator values yet"))
fig = charts.allowance_bars(tables, out_dir, None, [city], scope=city)
if fig:
    display(Image(filename=fig["png"], width=960))

# %% [markdown]
# ## 4. 变化 · Change between reports
# 仅在同一指标出现于两期以上报告时显示。Only indicators reported in two or more periods.

# %%
tr = views.trend(tables, city=city)
display(views.show(tr[["name_zh", "scope_detail", "period", "display", "report_id", "source_text"]],
                   "该市没有可比较的多期数据 / no indicator appears in more than one period"))
for ind in dict.fromkeys(tr["indicator_id"]):
    fig = charts.trend_lines(tables, ind, out_dir, city=city, scope=city)
    if fig:
        display(Image(filename=fig["png"], width=960))

# %% [markdown]
# ## 5. 叙述性表述 · Narrative claims

# %%
claims = views.narrative(tables, None, [city])
display(views.show(claims[["period", "theme", "claim_type_zh", "status", "scope", "phrase", "source_text", "report_id", "sentence_id"]],
                   "暂无叙述性表述 / no narrative claims yet"))

# %% [markdown]
# ## 6. 数据说明 · Data-quality notes

# %%
display(views.show(views.data_notes(tables, None, [city]), "无 / none"))
