{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{#- Remediation of this minion alone after a tuning drift event, only where its pillar allows it. -#}
{%- if db_sentinel['remediation_options'].get('auto_remediate', False) %}
include:
  - db_sentinel.remediation
  - db_sentinel.remediation.verify
{%- else %}

db_sentinel-react-auto_remediate-test-nop:
  test.nop:
    - name: auto-remediation is off (pillar db_sentinel:remediation_options:auto_remediate)
{%- endif %}
