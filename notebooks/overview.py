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
# 语料中全部报告的概览：各报告的专题分布、各市指标可得性、补助/保障标准比较、低保标准与人均消费支出、派生指标、数据冲突与数据质量说明。
# 由 `python -m lib render` 运行时，图表写入 `figures/overview/`；手动打开时写入 `scratch/figures/`。

# %% tags=["parameters"]
clean_dir = "data/clean"
figures_dir = None  # None: scratch/figures (render passes the published folder)
reports_dir = None  # folder of the HTML page, for links to the figures' data (render passes it)

# %%
import pandas as pd
from IPython.display import Markdown, display

from lib import charts, pages, views
from lib.themes import theme_names

tables = views.load(clean_dir)  # the tables the pages show, without the text-level ones
out_dir = charts.figure_dir(figures_dir)
pages.init(out_dir, reports_dir)  # long tables: whole as CSV beside the figures
reports = views.select_reports(tables)
display(Markdown(f"{len(reports)} 份报告 · {len(views.cities(tables))} 个城市 · "
                 f"{len(tables['indicators'])} 个指标观测 · {len(tables['claims'])} 条表述 · "
                 f"{len(tables['conflicts'])} 处数据冲突"))

# %% [markdown]
# ## 1. 报告

# %%
pages.table(reports[["report_id", "city", "period", "report_type", "title", "n_sentences"]])

# %% [markdown]
# ## 2. 专题分布
# 各报告正文字数在各专题间的分布（%）。

# %%
wide = views.theme_share_wide(tables)
pages.table(wide.map("{:.1%}".format) if len(wide) else wide)
pages.figure(charts.theme_share_heatmap(tables, out_dir), reports_dir)

# %% [markdown]
# ## 3. 指标可得性
# ● 有实际值 · ○ 仅有计划/基数值 · 空白 未报告。

# %%
pages.table(views.availability_wide(tables))
pages.figure(charts.availability_heatmap(tables, out_dir), reports_dir)

# %% [markdown]
# ## 4. 补助/保障标准（元/人/月）

# %%
fig = charts.allowance_bars(tables, out_dir)
if fig:
    pages.figure(fig, reports_dir)
else:
    display(Markdown("*暂无标准类指标*"))

# %% [markdown]
# ## 5. 低保标准与居民人均消费支出
# 低保标准（元/人/月）与上一年居民人均消费支出的月均值（÷12）并列，柱上方标出两者之比。地方多按上年人均消费支出的
# 一定比例确定低保标准。消费支出取自参考数据（`data/reference/denominators.csv`，逐行注明出处）；缺上年数据的城市不计算，
# 原因见下表与“数据说明”。

# %%
fig = charts.standard_consumption_bars(tables, out_dir)
if fig:
    pages.figure(fig, reports_dir)
else:
    display(Markdown("*暂无同时具备低保标准与上年人均消费支出的城市*"))
measures = views.measures(tables)
ratio = measures[measures["measure_id"] == charts.STANDARD_MEASURE]
pages.table(ratio[["city", "measure_label", "period_zh", "display", "numerator_display", "denominator_display",
                   "denominator_source", "note"]], "暂无")
gaps = views.measure_notes(tables)
pages.table(gaps[gaps["measure_id"] == charts.STANDARD_MEASURE][["city", "period", "status", "area", "numerator_value",
                                                                  "reason"]], "无")

# %% [markdown]
# ## 6. 相对指标（派生）
# 全部派生指标：覆盖率、每千人/每万人比率，分子、分母与两者出处逐行列出；报告自述同名比率时并列供核对。

# %%
pages.table(measures[["city", "measure_label", "status_zh", "period_zh", "display", "stated_display",
                      "numerator_display", "denominator_display", "denominator_source", "year_rule_zh", "note"]],
            "暂无可计算的派生指标")

# %% [markdown]
# ## 7. 专题页面
# 正文涉及的专题（按分类表顺序）；每个专题有一份比较报告 `reports/theme_<id>.html`。

# %%
present = views.themes_present(tables)
pages.table(pd.DataFrame({"theme": present, "theme_name": [theme_names()[t] for t in present]}))

# %% [markdown]
# ## 8. 数据冲突
# 同一城市、指标、期间、范围、分项与状态出现不同数值时，取措辞最贴近指标目录定义者（其次：确数优于约数，
# 正文优于表格，新报告优于旧报告，先出现者优先）；舍弃的值不进入最新值与趋势。

# %%
pages.table(tables["conflicts"], "无数据冲突")

# %% [markdown]
# ## 9. 数据说明

# %%
pages.table(views.data_notes(tables), "无")

# %% [markdown]
# ## 10. 注与指标解释

# %%
display(Markdown("\n".join(f"- {c}" for c in pages.CAVEATS)))
pages.table(pages.definitions(tables["indicators"]["indicator_id"]), "暂无指标")
pages.table(pages.measure_definitions(measures["measure_id"]), "暂无派生指标")

# %% [markdown]
# ## 11. 资料来源

# %%
display(Markdown(pages.sources_markdown(tables)))
display(Markdown(pages.reference_sources_markdown(measures)))
