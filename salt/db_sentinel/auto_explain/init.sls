# Opt-in (pillar db_sentinel:auto_explain:enabled): auto_explain settings in an include file of the cluster's conf.d,
# then a reload. Nothing is rendered while it is off.
include:
  - .conf
