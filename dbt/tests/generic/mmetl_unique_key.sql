{#- The grain test: no two rows share the combination of `columns` (a fact's key). Local on purpose:
    the package fetches no dbt packages. Rows returned = duplicated keys, with how often each occurs. -#}
{% test mmetl_unique_key(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
