{#- db_sentinel/check/<check>/ok: a check recovered. One reaction: orchestrate records a fresh report on that
    minion. Recoveries never remediate, and nothing a reaction does sends a db_sentinel event (db_beacon sends
    events only when a check's status changes), so reactions cannot loop. #}
{%- set parts = tag.split('/') %}
{%- if parts | length == 4 and parts[2] | regex_match('^([a-z][a-z0-9_]{0,63})$') is not none %}

db_sentinel-reactor-recovery-runner-state-orchestrate:
  runner.state.orchestrate:
    - args:
      - mods: db_sentinel.orch.on_event
      - pillar:
          db_sentinel_event:
            minion: {{ data['id'] | json }}
            check: {{ parts[2] | json }}
            status: ok
{%- endif %}
