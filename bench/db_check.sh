#!/bin/bash
# The baseline of bench/db_check.py: the plan's Phase 1 db_check.sh, written the way a shell script would do
# db_check's work (same tools, same interval, same verdicts and thresholds as the defaults, Nagios output and exit
# code), so that db_check's CPU can be compared with what the plan asked for.
# usage: bench/db_check.sh [SAMPLE_SECONDS]
set -u
export LC_ALL=C PATH="${PATH:-/usr/bin:/bin}:/usr/sbin:/sbin"
sample="${1:-1}"
cpus=$(nproc)
work=$(mktemp -d) || exit 3
trap 'rm -rf "$work"' EXIT

# vmstat and iostat sample the same interval, at the same time.
vmstat "$sample" 2 >"$work/vmstat" &
iostat -d -x -k -y "$sample" 1 >"$work/iostat" &
free -m >"$work/free"
units=$(systemctl list-units --type=service --all --plain --no-legend --no-pager \
  postgresql.service 'postgresql@*.service' mysql.service mysqld.service mariadb.service 'mariadb@*.service' 2>/dev/null |
  awk '{print $1}')
wait

status=0
worse() { [ "$1" -gt "$status" ] && status=$1; }
level() { # value warning critical -> 0/1/2
  awk -v v="$1" -v w="$2" -v c="$3" 'BEGIN { print (v >= c) ? 2 : (v >= w) ? 1 : 0 }'
}
# vmstat's last line is the interval; r counts vmstat itself.
read -r run_queue cs < <(awk -v cpus="$cpus" 'END { r = $1 - 1; if (r < 0) r = 0; printf "%d %d\n", r / cpus, $12 / cpus }' "$work/vmstat")
worse "$(level "$run_queue" 2 4)"
worse "$(level "$cs" 30000 60000)"
# iostat: await from r_await/w_await weighted by r/s and w/s (sysstat 12), worst device; %util, worst device.
read -r await util < <(awk '
  /^Device/ { for (i = 1; i <= NF; i++) col[$i] = i; inside = 1; next }
  inside && NF && $1 !~ /^(loop|ram|zram|sr)[0-9]+$/ {
    ops = $col["r/s"] + $col["w/s"]
    a = ops > 0 ? ($col["r/s"] * $col["r_await"] + $col["w/s"] * $col["w_await"]) / ops : 0
    if (a > await) await = a
    if ($col["%util"] > util) util = $col["%util"]
  }
  END { printf "%.2f %.2f\n", await, util }' "$work/iostat")
worse "$(level "$await" 20 50)"
worse "$(level "$util" 80 95)"
swap=$(awk '/^Swap:/ { print $3 }' "$work/free")
[ "${swap:-0}" -ge 1 ] && worse 2
service="no database unit"
if [ -n "$units" ]; then
  for unit in $units; do
    state=$(systemctl is-active "$unit")
    case "$state" in
      active) ;;
      activating|reloading) worse 1 ;;
      *) worse 2 ;;
    esac
    service="$service $unit=$state"
  done
fi
words=(OK WARNING CRITICAL UNKNOWN)
echo "DB_SENTINEL ${words[$status]} - run_queue $run_queue, context_switches $cs, disk_await ${await}ms, disk_util ${util}%, swap ${swap}MB, $service | run_queue=$run_queue;2;4;0 context_switches=$cs;30000;60000;0 disk_await=${await}ms;20;50;0 disk_util=${util}%;80;95;0;100 swap=${swap}MB;;0;0"
exit "$status"
