# `salt '*' state.apply db_sentinel`: packages and bundles, the config from pillar, the cron jobs, the analyzer
# service where systemd runs. Remediation is its own run (`salt-run state.orchestrate remediate`).
include:
  - .install
  - .config
  - .cron
  - .service
  - .mine
  - .auto_explain
