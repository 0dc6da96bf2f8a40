{#- The remediation plan of this host, read-only (it runs in test mode too): orchestrate runs it on every target
    before any batch is remediated. Its render validates the pillar through db_analyzer on every target: a bad value
    or a glob matching no device is one failing state naming the key and the minion, and nothing else of the run
    executes (no module sync, no change). Otherwise its state lists every setting that would change,
    actual -> desired. #}
{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- from 'db_sentinel/libplan.jinja' import fail_on_pillar_errors, tuning_plan with context %}
{%- set plan = tuning_plan(db_sentinel) | load_json %}
{%- set errors = db_sentinel['pillar_errors'] + ([plan['error']] if plan.get('error') else []) %}
{{- fail_on_pillar_errors('db_sentinel-remediation-plan-test-fail_without_changes', errors) }}
{%- if not errors %}

include:
  - db_sentinel.install.modules

db_sentinel-remediation-plan-db_sentinel-tuning_planned:
  db_sentinel.tuning_planned:
    - name: tuning plan of db_sentinel:remediation
    - changes: {{ plan['changes'] | json }}
    - require:
      - sls: db_sentinel.install.modules
{%- endif %}
