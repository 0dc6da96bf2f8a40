{#- The remediation plan of this host, read-only (it runs in test mode too): orchestrate runs it on every target
    before any batch is remediated. Its render validates the pillar through db_analyzer on every target (a bad value
    or a glob matching no device fails here, naming the key and the minion, before the modules are synced or
    anything changes); its state lists every setting that would change, actual -> desired. #}
{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- from 'db_sentinel/libplan.jinja' import tuning_plan with context %}
{%- set plan = tuning_plan(db_sentinel) | load_json %}

include:
  - db_sentinel.install.modules

db_sentinel-remediation-plan-db_sentinel-tuning_planned:
  db_sentinel.tuning_planned:
    - name: tuning plan of db_sentinel:remediation
    - changes: {{ plan['changes'] | json }}
    - require:
      - sls: db_sentinel.install.modules
