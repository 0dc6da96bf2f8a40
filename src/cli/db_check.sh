#!/bin/sh
# db_check as the formula's cron job runs it: from the V8 startup snapshot that `db_check --build-snapshot DIR` wrote
# (src/sources/startup-snapshot.ts) while DIR's hard links are still the node binary and the bundle run here (a blob
# is only valid for the binary that wrote it; apt and Salt replace a file with a new inode), else from the bundle.
# usage: db_check.sh SNAPSHOT_DIR NODE BUNDLE [db_check flags...] (the directory first: the cron line still ends in
# `NODE BUNDLE flags`, the command without the launcher)
# Exits as db_check does (0-3). db_check started from the blob exits 20 + its code (SNAPSHOT_EXIT_OFFSET in
# src/core/startup-snapshot.ts); any other status is node's own, before db_check ran (a blob it cannot load: 1 from
# Node 18 for other V8 flags, 14, 134 or 139): the bundle runs instead, and the blob is removed. A directory made for
# another node or bundle (an upgrade, another node in the pillar), or none yet, is built again once the check has run.
set -u
if [ "$#" -lt 3 ]; then
  echo 'usage: db_check.sh SNAPSHOT_DIR NODE BUNDLE [db_check flags...]' >&2
  exit 3
fi
dir=$1 node=$2 bundle=$3
shift 3
# Node finds the main module's real path (fs.realpathSync, compiled on its first use: ~0.9M instructions a run, 1% of
# Node 20's) unless told to keep the path it was given; the bundle requires nothing by a relative path.
main=--preserve-symlinks-main
blob=$dir/db_check.blob
# No blob for this node (Node 20 and later, or a blob node could not load): nothing to fall back from or to
# rebuild, so node takes our place. DIR's `node` link says which node the directory was made for.
if [ ! -e "$blob" ] && [ "$node" -ef "$dir/node" ]; then
  exec "$node" $main "$bundle" "$@"
fi
# The blob is code that runs as us: only one of ours, in a directory of ours.
if [ -s "$blob" ] && [ -O "$blob" ] && [ -O "$dir" ] && [ "$node" -ef "$dir/node" ] && [ "$bundle" -ef "$dir/db_check.js" ]; then
  # The V8 flags the blob was built with (SNAPSHOT_NODE_FLAGS in src/sources/startup-snapshot.ts).
  "$node" --no-verify-snapshot-checksum --snapshot-blob "$blob" "$bundle" "$@"
  status=$?
  case $status in 20|21|22|23) exit $((status - 20)) ;; esac
  echo "db_check.sh: node could not start from $blob (exit status $status); removed it, running $bundle" >&2
  rm -f "$blob"
  "$node" $main "$bundle" "$@"
  exit
fi
"$node" $main "$bundle" "$@"
status=$?
"$node" "$bundle" --build-snapshot "$dir" >&2
exit "$status"
