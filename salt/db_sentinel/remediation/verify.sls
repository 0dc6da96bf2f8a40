{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{#- After remediation: db_analyzer must find no drift left, or the batch fails and orchestrate stops. #}

db_sentinel-remediation-verify-db_sentinel-drift_reported:
  db_sentinel.drift_reported:
    - name: no tuning drift after remediation
    - node: {{ db_sentinel['node'] }}
    - analyzer: {{ db_sentinel['abs']['bin_dir'] }}/db_analyzer.js
    - config: {{ db_sentinel['abs']['config_file'] }}
    - fail_on_drift: True
