{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{#- Remediation of this minion alone after a tuning drift event, only where its pillar allows it; the decision is
    recorded beside the reaction's report. #}
{%- set auto = db_sentinel['remediation_options'].get('auto_remediate', False) %}
{%- if auto %}
include:
  - db_sentinel.remediation
  - db_sentinel.remediation.verify
{%- endif %}

db_sentinel-react-auto_remediate-file-serialize:
  file.serialize:
    - name: {{ db_sentinel['abs']['state_dir'] }}/reactions/auto_remediation.json
    - makedirs: True
    - mode: '0600'
    - serializer: json
    - dataset:
        decision: {{ ('remediated' if auto else 'off') | json }}
        reason: {{ ('pillar db_sentinel:remediation_options:auto_remediate is ' ~ auto) | json }}
        at: {{ None | strftime('%Y-%m-%dT%H:%M:%SZ') | json }}
{%- if auto %}
    - require:
      - sls: db_sentinel.remediation.verify
{%- endif %}
