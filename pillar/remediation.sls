# The remediation profile: what `salt-run state.orchestrate remediate` applies and what db_analyzer's tuning_drift
# check measures against (Salt renders the merged profile into /etc/db_sentinel/config.yml `tuning:`).
# Defaults: salt/db_sentinel/parameters/tuning.yaml (the reasons are there); set here only what differs.
# Validated before any host changes: a wrong type, an unknown scheduler or a negative count fails the run naming
# the key.
db_sentinel:
  remediation:
    sysctl:
      vm.swappiness: 1
      vm.dirty_background_ratio: 5
      vm.dirty_ratio: 10
      vm.zone_reclaim_mode: 0
      vm.overcommit_memory: 0
    transparent_hugepage: never
    # vm.nr_hugepages: size it to shared_buffers / innodb_buffer_pool_size (2 MiB pages); null leaves it alone.
    hugepages: null
    schedulers:
      rotational: mq-deadline
      non_rotational: mq-deadline
      nvme: none
    # The devices whose scheduler is managed (kernel name globs); db_analyzer measures drift on the same ones.
    scheduler_devices: ['sd*', 'vd*', 'xvd*', 'hd*', 'nvme*n*', 'mmcblk*']
  remediation_options:
    # Let the tuning_drift reactor remediate a drifting host by itself (default: report only).
    auto_remediate: false
