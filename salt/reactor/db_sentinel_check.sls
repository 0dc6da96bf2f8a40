{#- db_sentinel/check/<check>/<status>, sent by db_beacon on a minion when a check changes state; the master routes
    critical, recoveries (ok) and tuning_drift/warning here (master.d/db_sentinel.conf). One reaction: orchestrate
    collects a fresh report on that minion; for tuning drift it remediates where that minion's pillar sets
    db_sentinel:remediation_options:auto_remediate. Recoveries never remediate, and nothing a reaction does sends a
    db_sentinel event (db_beacon sends events only when a check's status changes), so reactions cannot loop. The
    minion id comes from the master (data['id']); the check name and the status come from the tag, each checked
    against a strict pattern. #}
{%- set parts = tag.split('/') %}
{%- if parts | length == 4 and parts[2] | regex_match('^([a-z][a-z0-9_]{0,63})$') is not none
      and parts[3] in ['critical', 'ok', 'warning'] %}

db_sentinel-reactor-check-runner-state-orchestrate:
  runner.state.orchestrate:
    - args:
      - mods: db_sentinel.orch.on_event
      - pillar:
          db_sentinel_event:
            minion: {{ data['id'] | json }}
            check: {{ parts[2] | json }}
            status: {{ parts[3] | json }}
{%- endif %}
