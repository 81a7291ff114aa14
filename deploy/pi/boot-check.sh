#!/bin/sh
# The desk agent's boot check for agent updates (docs/provisioning.md, "Agent updates"): the records
# are the ones agent/update/releases.ts writes in the state directory.
#   boot-check.sh STATE_DIR             hanvisa-agent.service's ExecStartPre, before every start
#   boot-check.sh --deadline STATE_DIR  hanvisa-agent-update.timer, every 15 s, as root
# Before a start: no `current` link yet, or one to a release that is gone → the installed package
# (/opt/hanvisa, what a hand install of the unit has); a switch pending → this
# start is the new release's trial; a trial still there → the new release was started and ended before
# it came online (the new agent removes the trial once it is): switch back to the release it came from.
# --deadline: a trial past its deadline (running, but not online) is switched back and the unit restarted.
# Plain sh: it must work whatever the new release brought.
set -eu
mode=start
if [ "${1:-}" = --deadline ]; then
  mode=deadline
  shift
fi
[ $# -eq 1 ] || { echo "usage: $0 [--deadline] STATE_DIR" >&2; exit 2; }
state="$1"
records="$state/update"

field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# switch current back to where the trial came from; the old agent reports it (rolled-back) when online
roll_back() {
  from="$(field from "$records/trial")"
  ln -sfn "$from" "$state/current.new"
  mv -T "$state/current.new" "$state/current"
  { cat "$records/trial"; echo "reason=$1"; } >"$records/rolled-back.tmp"
  mv "$records/rolled-back.tmp" "$records/rolled-back"
  rm -f "$records/trial"
  echo "hanvisa boot check: $(field version "$records/rolled-back") $1: switched back to $from" >&2
}

if [ "$mode" = deadline ]; then
  [ -f "$records/trial" ] || exit 0
  [ "$(date +%s)" -ge "$(field deadline "$records/trial")" ] || exit 0
  roll_back "was not online within its deadline"
  systemctl restart hanvisa-agent.service
  exit 0
fi

[ -e "$state/current" ] || ln -sfn /opt/hanvisa "$state/current"
if [ -f "$records/trial" ]; then
  roll_back "stopped before it came online"
elif [ -f "$records/pending" ]; then
  mv "$records/pending" "$records/trial"
  echo "hanvisa boot check: trying $(field version "$records/trial")" >&2
fi
