{#- Run by the reactor (salt/reactor/db_sentinel_check.sls) for one db_sentinel event of one minion. #}
{%- set event = salt['pillar.get']('db_sentinel_event', {}) %}
{%- if not event.get('minion') or not event.get('check') or not event.get('status') %}
{{ raise('db_sentinel.orch.on_event needs pillar db_sentinel_event with minion, check and status') }}
{%- endif %}

db_sentinel-orch-on_event-report-salt-state:
  salt.state:
    # Wait for a state run already going on the minion (another reaction's) instead of failing.
    - queue: True
    - tgt: {{ event['minion'] | json }}
    - sls:
      - db_sentinel.react.report
    - pillar:
        db_sentinel_event: {{ event | json }}
{%- if event['check'] == 'tuning_drift' and event['status'] != 'ok' %}

db_sentinel-orch-on_event-remediate-salt-state:
  salt.state:
    # Wait for a state run already going on the minion (another reaction's) instead of failing.
    - queue: True
    - tgt: {{ event['minion'] | json }}
    - sls:
      - db_sentinel.react.auto_remediate
    - require:
      - salt: db_sentinel-orch-on_event-report-salt-state
{%- endif %}
