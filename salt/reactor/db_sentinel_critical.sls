{#- db_sentinel/check/<check>/critical, sent by db_beacon on a minion when a check turns critical. One reaction:
    orchestrate collects a fresh report on that minion (and remediates tuning drift where pillar allows). The
    minion id comes from the master (data['id']), the check name from the tag, checked against a strict pattern. #}
{%- set parts = tag.split('/') %}
{%- if parts | length == 4 and parts[2] | regex_match('^([a-z][a-z0-9_]{0,63})$') is not none %}

db_sentinel-reactor-critical-runner-state-orchestrate:
  runner.state.orchestrate:
    - args:
      - mods: db_sentinel.orch.on_event
      - pillar:
          db_sentinel_event:
            minion: {{ data['id'] | json }}
            check: {{ parts[2] | json }}
            status: critical
{%- endif %}
