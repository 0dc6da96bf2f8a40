{#- db_sentinel/check/tuning_drift/warning: the host drifted from the remediation profile. One reaction:
    orchestrate reports it and, when that minion's pillar sets db_sentinel:remediation_options:auto_remediate,
    remediates that minion alone. #}

db_sentinel-reactor-tuning_drift-runner-state-orchestrate:
  runner.state.orchestrate:
    - args:
      - mods: db_sentinel.orch.on_event
      - pillar:
          db_sentinel_event:
            minion: {{ data['id'] | json }}
            check: tuning_drift
            status: warning
