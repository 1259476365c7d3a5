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
# 本页按一个民政业务专题（如社会救助、养老服务）比较各市工作报告中的指标和表述。
#
# - **参数**（下一单元）：`theme` 专题编号（`lib/data/themes.csv`）；`cities` 城市列表或 `None`（全部）；
#   `periods` 报告期或年份（如 `["2024", "2025H1"]`）或 `None`（全部）。
# - **如何读图**：≈ 为约数，≥/≤ 为下限/上限；斜线浅色柱为计划/目标值；虚线边框的浅色柱为分项（属本市合计）；
#   每根柱下写明数据期间；不同口径（全年、半年、多年累计、目标）分组显示；图下“注”列出各市期间与口径的差异。
# - 由 `python -m lib render` 运行时，图表写入 `figures/<专题>/`；手动打开本笔记本时写入 `scratch/figures/`，不覆盖已发布的图表。

# %% tags=["parameters"]
theme = "social_assistance"
cities = None
periods = None
clean_dir = "data/clean"
figures_dir = None  # None: scratch/figures (render passes the published folder)
reports_dir = None  # folder of the HTML page, for links to the figures' data (render passes it)

# %%
from IPython.display import Markdown, display

from lib import charts, pages, views

theme = views.check_theme(theme)
pages.init(charts.figure_dir(figures_dir, theme=theme), reports_dir)  # long tables: whole as CSV beside the figures
tables = views.load(clean_dir, theme=theme, cities_=cities)  # only this theme's rows (and the cities asked for)
selected = views.check_cities(cities, tables)
periods = views.check_periods(periods, tables)
reports = views.select_reports(tables, selected, periods)
display(Markdown(f"## {views.safe(views.theme_title(theme))}\n\n"
                 f"{len(reports)} 份报告 · 城市：{views.safe('、'.join(selected))} · "
                 f"期间：{views.safe('、'.join(periods)) if periods else '全部'}"))

# %% [markdown]
# ## 1. 报告
# 每行一份报告：城市、期间、类型与标题。新闻报道类报告的数字可能有选择性。

# %%
pages.table(reports[["report_id", "city", "period", "report_type", "title"]])

# %% [markdown]
# ## 2. 篇幅
# 该专题句子字数占报告正文的比例（按句子的主题分类计算）。

# %%
share = views.theme_share(tables, theme, selected, periods)
pages.table(share.assign(share=share["share"].map("{:.1%}".format))[["label", "n_sentences", "n_chars", "share"]])

# %% [markdown]
# ## 3. 最新指标
# 每市每个指标取最新一期实际值；计划/目标值另行标明。分项（城市/农村、集中/散居、区县）单列，不与他市合计比较。
# 宽表供阅读；长表含期间、数据类型、原文与报告编号，便于核对。

# %%
pages.table(views.latest_wide(tables, theme, selected, periods), "本专题暂无指标数据")

# %%
latest = views.latest(tables, theme, selected, periods)
pages.table(latest[["city", "name_zh", "scope_detail", "status_zh", "display", "period_zh", "figure_kind", "scope",
                    "report_id", "source_text"]], "本专题暂无指标数据")

# %% [markdown]
# ### 相对指标（派生）
# 把报告中的人数、床位数、标准除以有出处的分母（常住人口、60岁及以上人口、上年居民人均消费支出，
# 见 `data/reference/denominators.csv`），使规模不同的城市可以比较。分子与分母、两者的出处逐行列出；
# 报告自述同名比率时列于“报告自述值”供核对。分母缺失或年份不符时不计算，原因列在下表。

# %%
measures = views.measures(tables, theme, selected)
pages.table(measures[["city", "measure_label", "status_zh", "period_zh", "display", "stated_display", "numerator_display",
                      "denominator_display", "denominator_source", "year_rule_zh", "note"]], "本专题暂无可计算的派生指标")
gaps = views.measure_notes(tables, theme, selected)
pages.table(gaps[["city", "name_zh", "period", "status", "area", "numerator_value", "reason", "stated_value"]],
            "本专题没有未计算的派生指标")

# %% [markdown]
# ## 4. 图表
# 标准类指标（元/人/月）合并为分组柱状图；其他指标每个一图；有多期同口径数据的城市另有趋势图；派生指标每个一图
# （◆ 为报告自述的比率）。每张图下附注、来源（派生指标注明分子与分母两个来源）与图表数据（CSV）。

# %%
figs = charts.theme_figures(tables, theme, figures_dir, selected, periods)
if not figs:
    display(Markdown("*本专题暂无可绘制的数据*"))
for f in figs:
    pages.figure(f, reports_dir)

# %% [markdown]
# ## 5. 叙述性表述
# 报告中的排名、率先/首创、试点/示范、获奖与计划类表述，每条注明报告编号与原句。

# %%
claims = views.narrative(tables, theme, selected, periods)
pages.table(claims[["city", "period", "claim_type_zh", "status", "scope", "phrase", "source_text", "report_id",
                    "sentence_id"]], "暂无叙述性表述")

# %% [markdown]
# ## 6. 注与指标解释
# 指标定义来自指标目录（`lib/data/indicator_catalog.csv`）。

# %%
display(Markdown("\n".join(f"- {c}" for c in pages.CAVEATS)))
pages.table(pages.definitions(latest["indicator_id"]), "本专题暂无指标")
pages.table(pages.measure_definitions(measures["measure_id"]), "本专题没有派生指标")

# %% [markdown]
# ## 7. 数据冲突与数据说明
# 同一城市、指标、期间、范围出现不同数值时采用的值与舍弃的值；构建时的错误与警告，以及比较时需注意之处。

# %%
conflicts = tables["conflicts"]
pages.table(conflicts[conflicts["indicator_id"].isin(set(views.indicators(tables, theme)["indicator_id"]))
                      & conflicts["city"].isin(selected)], "本专题无数据冲突")
pages.table(views.data_notes(tables, theme, selected), "无")

# %% [markdown]
# ## 8. 资料来源

# %%
display(Markdown(pages.sources_markdown(tables, reports["report_id"])))
display(Markdown(pages.reference_sources_markdown(measures)))
