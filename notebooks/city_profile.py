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
# 以及叙述性表述。
#
# - **参数**：`city` 城市名，与清单（manifest）一致（如 `厦门市`）。
# - 由 `python -m lib render` 运行时，图表写入 `figures/city/<城市>/`；手动打开时写入 `scratch/figures/`。

# %% tags=["parameters"]
city = "厦门市"
clean_dir = "data/clean"
figures_dir = None  # None: scratch/figures (render passes the published folder)
reports_dir = None  # folder of the HTML page, for links to the figures' data (render passes it)

# %%
from IPython.display import Markdown, display

from lib import charts, pages, views

tables = views.load(clean_dir, cities_=[city])  # only this city's rows
city = views.check_city(city, tables)
reports = views.select_reports(tables, [city])
out_dir = charts.figure_dir(figures_dir, city=city)
pages.init(out_dir, reports_dir)  # long tables: whole as CSV beside the figures
display(Markdown(f"## {views.safe(city)}\n\n{len(reports)} 份报告："
                 f"{views.safe('、'.join(reports['period'].astype(str)))}"))

# %% [markdown]
# ## 1. 报告

# %%
pages.table(reports[["report_id", "period", "report_type", "title", "published", "n_sentences"]])

# %% [markdown]
# ## 2. 专题篇幅
# 各专题句子字数占正文的比例。

# %%
wide = views.theme_share_wide(tables, [city])
pages.table(wide.map("{:.1%}".format) if len(wide) else wide)
pages.figure(charts.theme_share_heatmap(tables, out_dir, [city], scope=city), reports_dir)

# %% [markdown]
# ## 3. 最新指标
# 每个指标取最新一期实际值；计划/目标值另行标明；分项单列。

# %%
latest = views.latest(tables, None, [city])
pages.table(latest[["theme", "name_zh", "scope_detail", "status_zh", "display", "period_zh", "figure_kind", "scope",
                    "report_id", "source_text"]], "暂无指标数据")
pages.figure(charts.allowance_bars(tables, out_dir, None, [city], scope=city), reports_dir)

# %% [markdown]
# ### 相对指标（派生）
# 报告数值除以有出处的分母（常住人口、60岁及以上人口、上年居民人均消费支出）；分母缺失或年份不符时不计算，原因见数据说明。

# %%
measures = views.measures(tables, None, [city])
pages.table(measures[["measure_label", "status_zh", "period_zh", "display", "stated_display", "numerator_display",
                      "denominator_display", "denominator_source", "note"]], "该市暂无可计算的派生指标")

# %% [markdown]
# ## 4. 变化
# 仅连接同一口径的数值（时点数与时点数、全年与全年、同长度的累计），分项与合计不相连。

# %%
tr = views.trend(tables, city=city)
pages.table(tr[["name_zh", "series", "period_zh", "display", "report_id", "source_text"]],
            "该市没有可比较的多期数据")
for ind in dict.fromkeys(tr["indicator_id"]):
    pages.figure(charts.trend_lines(tables, ind, out_dir, city=city, scope=city), reports_dir)

# %% [markdown]
# ## 5. 叙述性表述

# %%
claims = views.narrative(tables, None, [city])
pages.table(claims[["period", "theme", "claim_type_zh", "status", "scope", "phrase", "source_text", "report_id",
                    "sentence_id"]], "暂无叙述性表述")

# %% [markdown]
# ## 6. 注与指标解释

# %%
display(Markdown("\n".join(f"- {c}" for c in pages.CAVEATS)))
pages.table(pages.definitions(latest["indicator_id"]), "暂无指标")
pages.table(pages.measure_definitions(measures["measure_id"]), "暂无派生指标")

# %% [markdown]
# ## 7. 数据冲突与数据说明

# %%
conflicts = tables["conflicts"]
pages.table(conflicts[conflicts["city"] == city], "该市无数据冲突")
pages.table(views.data_notes(tables, None, [city]), "无")

# %% [markdown]
# ## 8. 资料来源

# %%
display(Markdown(pages.sources_markdown(tables, reports["report_id"])))
display(Markdown(pages.reference_sources_markdown(measures)))
