{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{#- Reports the host's tuning drift as db_analyzer measures it (read-only; runs in test mode too). Orchestrate runs
    it on every target before any batch is remediated; its render also validates the pillar on every target. #}

db_sentinel-remediation-drift-db_sentinel-drift_reported:
  db_sentinel.drift_reported:
    - name: tuning drift before remediation
    - node: {{ db_sentinel['node'] }}
    - analyzer: {{ db_sentinel['abs']['bin_dir'] }}/db_analyzer.js
    - config: {{ db_sentinel['abs']['config_file'] }}
