# The remediation profile (parameters/tuning.yaml overridden by pillar db_sentinel:remediation, validated by
# map.jinja before any state runs): kernel parameters, I/O schedulers and transparent hugepages, each applied now
# and persisted. Run through `salt-run state.orchestrate remediate`, or alone with state.apply db_sentinel.remediation.
include:
  - .sysctl
  - .scheduler
  - .thp
