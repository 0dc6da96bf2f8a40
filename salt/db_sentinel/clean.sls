# Removes everything the formula put on the host, in the reverse order of init.sls, and remediation's persistent
# files (the running kernel keeps its values until reboot; the host's own settings apply from then on).
include:
  - .auto_explain.clean
  - .prometheus.clean
  - .mine.clean
  - .remediation.clean
  - .service.clean
  - .cron.clean
  - .config.clean
  - .install.clean
