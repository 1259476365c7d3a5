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
# # 专题比较 · Theme comparison
#
# 本笔记本按一个民政业务专题（如社会救助、养老服务）比较各市工作报告中的指标和表述。
# This notebook compares cities on one thematic area of civil-affairs work, from the clean tables
# that `python -m lib build` writes (`data/clean/`).
#
# - **参数 / parameters** (next cell): `theme` — a theme id from `lib/data/themes.csv`;
#   `cities` — a list of city names, or `None` for all; `periods` — report periods or years
#   (e.g. `["2024", "2025H1"]`), or `None` for all.
# - 数值均为报告原文所载；“≈”为约数，“≥/≤”为下限/上限，“目标”为计划值（图中以斜线浅色表示）。
#   Every number is as the report states it; ≈ approximate, ≥/≤ bounds, planned values hatched.
# - 图表保存在 `figures/<theme>/`（PNG 1920×1080 与 SVG）。

# %% tags=["parameters"]
theme = "social_assistance"
cities = None
periods = None
clean_dir = "data/clean"
figures_dir = "figures"

# %%
import pandas as pd
from IPython.display import Image, Markdown, display

from lib import charts, views

pd.set_option("display.max_colwidth", 80)
tables = views.load_clean(clean_dir)
theme = views.check_theme(theme)
selected = views.check_cities(cities, tables)
periods = views.check_periods(periods, tables)
reports = views.select_reports(tables, selected, periods)
display(Markdown(f"## {views.safe(views.theme_title(theme))}\n\n"
                 f"{len(reports)} 份报告 / reports · 城市 cities: {views.safe(', '.join(selected))} · "
                 f"期间 periods: {views.safe(', '.join(periods)) if periods else '全部 all'}"))

# %% [markdown]
# ## 1. 报告 · Reports in scope
# 每行一份报告：城市、期间、类型与标题。`news_feature`（新闻稿）类报告的数字可能有选择性。

# %%
display(views.show(reports[["report_id", "city", "period", "report_type", "title"]]))

# %% [markdown]
# ## 2. 篇幅 · How much each report says about this theme
# 该专题句子字数占报告正文的比例（按句子的主题分类计算）。

# %%
share = views.theme_share(tables, theme, selected, periods)
display(views.show(share[["label", "n_sentences", "n_chars", "share"]].style.format({"share": "{:.1%}"})
                   if len(share) else share))

# %% [markdown]
# ## 3. 最新指标 · Latest values per city
# 每市每个指标取最新一期实际值；计划/目标值另列并标明。`display` 列带有 ≈ / ≥ / ≤ 符号。
# 宽表仅供阅读；长表（下方）含来源句子与报告编号，便于核对。

# %%
display(views.show(views.latest_wide(tables, theme, selected, periods), "本专题暂无指标数据 / no indicator values for this theme yet"))

# %%
latest = views.latest(tables, theme, selected, periods)
display(views.show(latest[["city", "name_zh", "scope_detail", "status_zh", "display", "period", "scope", "report_id", "source_text"]],
                   "本专题暂无指标数据 / no indicator values for this theme yet"))

# %% [markdown]
# ## 4. 图表 · Figures
# 标准类指标（元/人/月）合并为分组柱状图；其他指标每个一图；有多期报告的城市另有趋势图。

# %%
figs = charts.theme_figures(tables, theme, figures_dir, selected, periods)
if not figs:
    display(Markdown("*本专题暂无可绘制的数据 / nothing to chart for this theme yet*"))
for f in figs:
    display(Markdown(f"**{views.safe(f['title'])}**  \n<small>{views.safe(f['source'])}</small>"))
    display(Image(filename=f["png"], width=960))

# %% [markdown]
# ## 5. 叙述性表述 · Narrative claims
# 报告中的排名、率先/首创、试点/示范、获奖与计划类表述，每条注明报告编号与原句。

# %%
claims = views.narrative(tables, theme, selected, periods)
display(views.show(claims[["city", "period", "claim_type_zh", "status", "scope", "phrase", "source_text", "report_id", "sentence_id"]],
                   "暂无叙述性表述 / no narrative claims for this theme yet"))

# %% [markdown]
# ## 6. 数据说明 · Data-quality notes
# 构建时的错误与警告，以及比较时需注意之处（约数、区级口径、期间不一致等）。

# %%
display(views.show(views.data_notes(tables, theme, selected), "无 / none"))
