{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set cron = db_sentinel['cron'] %}
{%- for job, schedule in cron['jobs'] | dictsort %}

db_sentinel-cron-clean-cron-absent-{{ job }}:
  cron.absent:
    - name: {{ job }}
    - identifier: {{ schedule['identifier'] }}
    - user: {{ cron['user'] }}
{%- endfor %}
