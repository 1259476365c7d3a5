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
# # 总览 · Corpus overview
#
# 语料中全部报告的概览：各报告的专题分布、各市指标可得性、补助/保障标准比较与数据质量说明。
# What the corpus holds: which reports, how their text divides among themes, which cities report
# which catalogue indicators, the allowance standards side by side, and data-quality notes.
# 图表保存在 `figures/overview/`。

# %% tags=["parameters"]
clean_dir = "data/clean"
figures_dir = "figures"

# %%
import pandas as pd
from IPython.display import Image, Markdown, display

from lib import charts, views
from lib.themes import theme_names

pd.set_option("display.max_colwidth", 80)
tables = views.load_clean(clean_dir)
out_dir = charts.figure_dir(figures_dir)
reports = views.select_reports(tables)
display(Markdown(f"{len(reports)} 份报告 / reports · {len(views.cities(tables))} 个城市 / cities · "
                 f"{len(tables['indicators'])} 个指标观测 / indicator observations · {len(tables['claims'])} 条表述 / claims"))

# %% [markdown]
# ## 1. 报告 · Reports

# %%
display(views.show(reports[["report_id", "city", "period", "report_type", "title", "n_sentences"]]))

# %% [markdown]
# ## 2. 专题分布 · Theme balance (share of body text, %)

# %%
wide = views.theme_share_wide(tables)
display(views.show(wide.style.format("{:.1%}") if len(wide) else wide))
fig = charts.theme_share_heatmap(tables, out_dir)
if fig:
    display(Image(filename=fig["png"], width=960))

# %% [markdown]
# ## 3. 指标可得性 · Indicator availability
# ● 有实际值 · ○ 仅有计划/基数值 · 空白 未报告。

# %%
display(views.show(views.availability_wide(tables)))
fig = charts.availability_heatmap(tables, out_dir)
if fig:
    display(Image(filename=fig["png"], width=960))

# %% [markdown]
# ## 4. 补助/保障标准 · Allowance standards (元/人/月)

# %%
fig = charts.allowance_bars(tables, out_dir)
if fig:
    display(Image(filename=fig["png"], width=960))
else:
    display(Markdown("*暂无标准类指标 / no allowance standards extracted yet*"))

# %% [markdown]
# ## 5. 专题笔记本 · Theme notebooks
# 正文涉及的专题（按分类表顺序）；每个专题有一份比较报告 `reports/theme_<id>.html`。

# %%
present = views.themes_present(tables)
display(pd.DataFrame({"theme": present, "name_zh": [theme_names()[t] for t in present]}))

# %% [markdown]
# ## 6. 数据说明 · Data-quality notes

# %%
display(views.show(views.data_notes(tables), "无 / none"))
