-- Daily per template and product (MM API, Cloud API): counts, money in the row's currency, rates
-- computed from the day's counts. Grain: date_day × waba_id × template_id × product.
select
    p.day as date_day,
    p.waba_id,
    w.waba_name,
    p.template_id,
    p.template_name,
    p.template_category,
    p.product,
    p.sent,
    p.delivered,
    p.read,
    p.url_clicks,
    p.amount_spent,
    p.currency,
    p.cost_per_delivered,
    p.purchases,
    p.purchase_value,
    p.delivery_rate,
    p.read_rate,
    p.click_rate,
    p.roas,
    p.clicks_measured,
    p.conversions_measured,
    p.is_final
from {{ source('mm', 'v_template_performance') }} p
left join {{ source('mm', 'v_waba') }} w on w.waba_id = p.waba_id
