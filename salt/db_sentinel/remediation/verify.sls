{#- After remediation: db_analyzer plans the same profile again (the pillar this run was given) and must find
    nothing left to change, or the batch fails and orchestrate stops. #}
{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- from 'db_sentinel/libplan.jinja' import plan_command with context %}

include:
  - db_sentinel.remediation

db_sentinel-remediation-verify-db_sentinel-tuning_verified:
  db_sentinel.tuning_verified:
    - name: no tuning change left after remediation
    - command: {{ plan_command(db_sentinel) }}
    - require:
      - sls: db_sentinel.remediation
