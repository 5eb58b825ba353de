-- The common ad-reporting shape, one row per day × account (WABA) × ad (template), so a team can
-- union WhatsApp with its other ad platforms. Products (MM API + Cloud API) are added up per
-- template; a WABA has one currency, and the grain test fails should a template-day carry two.
-- impressions = delivered, clicks = URL clicks (NULL where Meta does not measure them),
-- conversions = purchases, conversions_value = purchase value. Campaign and ad group do not exist
-- for templates: NULL, kept so the columns line up with other platforms.
select
    p.day as date_day,
    'whatsapp' as platform,
    p.waba_id as account_id,
    max(w.waba_name) as account_name,
    cast(null as text) as campaign_id,
    cast(null as text) as campaign_name,
    cast(null as text) as ad_group_id,
    cast(null as text) as ad_group_name,
    p.template_id as ad_id,
    max(p.template_name) as ad_name,
    sum(p.delivered) as impressions,
    sum(p.url_clicks) as clicks,
    sum(p.amount_spent) as spend,
    sum(p.purchases) as conversions,
    sum(p.purchase_value) as conversions_value,
    p.currency
from {{ source('mm', 'v_template_performance') }} p
left join {{ source('mm', 'v_waba') }} w on w.waba_id = p.waba_id
group by p.day, p.waba_id, p.template_id, p.currency
