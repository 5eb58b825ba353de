"""The fewest Graph API requests a scenario allows, independent of how mmetl batches:

per WABA   1 WABA-fields call + 1 phone_numbers call (≤ 100 numbers per page)
           + 1 business-profile call per phone number unless the pipeline sets `industry`
           + ceil(templates / 250) message_templates pages (the catalog; 250 is Graph's page cap)
pricing    per WABA and window of ≤ `window_days` days: max(1, ceil(data points / page_size)).
           Its volume is not known a priori: data points = the rows of mm.fact_pricing for that WABA
           and window after the run (one row per data point: the key is every dimension + day).
templates  per WABA, product type and window: ceil(templates / 10) calls (≤ 10 template_ids per
           call), each max(1, ceil(its data points / page_size)) pages; data points = rows of
           mm.fact_template_daily (one per template × day × product; days with nothing sent are not
           served). A WABA whose fields say is_enabled_for_insights=false needs none.
           "dense" is the a-priori formula: every template has a data point every day.
"""
import datetime
import math

from harness.pg import run_file_json, sql_file


def minimum(url, templates, window_start, window_end, window_days, page_size, products, industry_set):
    m = run_file_json(url, sql_file("api_minimum.sql"), {
        "window_start": window_start, "window_end": window_end, "window_days": window_days,
        "page_size": page_size, "products": ",".join(products)})
    return complete(m, templates, str(window_start), str(window_end), window_days, page_size, len(products), industry_set)


def complete(m, templates, window_start, window_end, window_days, page_size, products, industry_set):
    """The minimum from the warehouse's counts `m` (sql/api_minimum.sql) and the scenario."""
    wabas, windows = m["wabas"], m["windows"]
    per_waba = 2 + math.ceil(templates / 250)
    profiles = 0 if industry_set else m["phone_numbers"]
    batches = math.ceil(templates / 10)
    span = (datetime.date.fromisoformat(window_end) - datetime.date.fromisoformat(window_start)).days + 1
    # Dense: every template-day served; per window the full batches and the last partial one.
    dense_tpl = 0
    for d in (min(window_days, span - i * window_days) for i in range(windows)):
        for b in range(batches):
            n = min(10, templates - b * 10)
            dense_tpl += max(1, math.ceil(n * d / page_size))
    dense_tpl *= (wabas - m["wabas_insights_disabled"]) * products
    return {**m,
            "per_waba_fixed": per_waba, "business_profiles": profiles,
            "fixed": wabas * per_waba + profiles,
            "templates_dense_pages": dense_tpl,
            "minimum": wabas * per_waba + profiles + m["pricing_pages"] + m["template_pages"],
            "minimum_dense": wabas * per_waba + profiles + m["pricing_pages"] + dense_tpl,
            "window": [window_start, window_end, window_days], "page_size": page_size}
