# Which hosts get db_sentinel: here every minion whose id starts with "db"; adapt the target to your fleet
# (a grain, a nodegroup). The monitoring host needs the mine data only (salt 'mon*' state.apply db_sentinel.prometheus).
base:
  'db*':
    - db_sentinel
    - remediation
