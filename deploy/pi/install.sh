#!/usr/bin/env bash
# One command to make a Raspberry Pi (Raspberry Pi OS / Debian 12) a hanvisa desk (docs/deploy.md):
#   sudo deploy/pi/install.sh [--config agent.json] [--no-start]
# run from the unpacked, built package (npm install && npm run build). It installs the Debian packages
# the drivers need, creates the service user `hanvisa` (groups dialout, plugdev, gpio), makes
# a link /opt/hanvisa → this package, installs the udev rules (60-hanvisa.rules), the systemd unit, the config
# (/etc/hanvisa/agent.json, kept if present) and the journal folder (/var/lib/hanvisa), checks that the
# native modules load, and starts the agent. Agent updates (docs/provisioning.md): the unit starts
# /var/lib/hanvisa/current, which this points at /opt/hanvisa (an install is IT's choice of release, so it
# ends any update under way), and the timer hanvisa-agent-update.timer enforces an update's deadline. DESTDIR=/some/root installs into that root instead (a
# staged image, or the test): no packages, no udevadm, no systemctl; the root's own etc/passwd is used.
set -euo pipefail

SRC="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${DESTDIR:-}"
CONFIG=""
START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --config) CONFIG="$2"; shift 2 ;;
    --no-start) START=0; shift ;;
    *) echo "usage: $0 [--config agent.json] [--no-start]" >&2; exit 2 ;;
  esac
done

say() { echo "hanvisa install: $*"; }
fail() { echo "hanvisa install: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (sudo)"
NODE="$(command -v node || true)"
[ -n "$NODE" ] || fail "Node.js 20 or later is needed: apt-get install nodejs (Debian 12 has 18: use NodeSource's 20)"
major="$("$NODE" -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || fail "Node.js $("$NODE" -v) is too old: 20 or later is needed"
[ -f "$SRC/dist/bin/hanvisa.js" ] || fail "$SRC is not built: run npm install && npm run build there first"

if [ -z "$ROOT" ]; then
  need=()
  dpkg -s libgpiod2 >/dev/null 2>&1 || need+=(libgpiod2)
  dpkg -s libgpiod-dev >/dev/null 2>&1 || need+=(libgpiod-dev)
  dpkg -s libusb-1.0-0 >/dev/null 2>&1 || need+=(libusb-1.0-0)
  dpkg -s udev >/dev/null 2>&1 || need+=(udev)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # node-libgpiod is optional: npm skipped it where libgpiod-dev was missing; build it now
    (cd "$SRC" && npm rebuild node-libgpiod >/dev/null 2>&1) || true
  fi
fi

# --- the service user, in the target root's own user database -------------------------------------
prefix=()
[ -n "$ROOT" ] && prefix=(--prefix "$ROOT")
for group in dialout plugdev gpio; do
  grep -q "^$group:" "$ROOT/etc/group" || groupadd "${prefix[@]}" --system "$group"
done
if grep -q '^hanvisa:' "$ROOT/etc/passwd"; then
  usermod "${prefix[@]}" --append --groups dialout,plugdev,gpio hanvisa
else
  useradd "${prefix[@]}" --system --home-dir /var/lib/hanvisa --no-create-home --shell /usr/sbin/nologin \
    --groups dialout,plugdev,gpio hanvisa
  say "created the service user hanvisa"
fi
uid="$(awk -F: '$1 == "hanvisa" { print $3 }' "$ROOT/etc/passwd")"
gid="$(awk -F: '$1 == "hanvisa" { print $4 }' "$ROOT/etc/passwd")"

# --- files --------------------------------------------------------------------------------------
install -d "$ROOT/opt" "$ROOT/etc/udev/rules.d" "$ROOT/etc/systemd/system" "$ROOT/etc/hanvisa"
[ "$SRC" = "$ROOT/opt/hanvisa" ] || ln -sfn "$SRC" "$ROOT/opt/hanvisa"
install -m 0644 "$SRC/deploy/pi/60-hanvisa.rules" "$ROOT/etc/udev/rules.d/60-hanvisa.rules"
install -m 0644 "$SRC/deploy/systemd/hanvisa-agent.service" "$ROOT/etc/systemd/system/hanvisa-agent.service"
for unit in hanvisa-agent-update.service hanvisa-agent-update.timer; do
  install -m 0644 "$SRC/deploy/pi/$unit" "$ROOT/etc/systemd/system/$unit"
done
if [ -f "$ROOT/etc/hanvisa/agent.json" ]; then
  say "keeping /etc/hanvisa/agent.json"
elif [ -n "$CONFIG" ]; then
  install -m 0640 "$CONFIG" "$ROOT/etc/hanvisa/agent.json"
else
  install -m 0640 "$SRC/deploy/pi/agent.example.json" "$ROOT/etc/hanvisa/agent.json"
  say "wrote an example /etc/hanvisa/agent.json: set org, ext, deviceId and the broker, then restart"
fi
# the broker password may be in it: root writes, the service reads
chown "0:$gid" "$ROOT/etc/hanvisa/agent.json"
chmod 0640 "$ROOT/etc/hanvisa/agent.json"
install -d -m 0750 -o "$uid" -g "$gid" "$ROOT/var/lib/hanvisa"
# the release the unit starts: this one; an update switched or under way is over
ln -sfn "$ROOT/opt/hanvisa" "$ROOT/var/lib/hanvisa/current"
chown -h "$uid:$gid" "$ROOT/var/lib/hanvisa/current"
rm -f "$ROOT/var/lib/hanvisa/update/pending" "$ROOT/var/lib/hanvisa/update/trial"

# --- native modules: the configured driver's must load ------------------------------------------
driver="$("$NODE" -e 'try { console.log(require(process.argv[1]).driver?.type ?? "virtual") } catch { console.log("?") }' "$ROOT/etc/hanvisa/agent.json")"
declare -A needs=(
  [serial]="@serialport/bindings-cpp" [firmata]="@serialport/bindings-cpp" [hid]="node-hid"
  [gpio]="node-libgpiod" [streamdeck]="node-hid @napi-rs/canvas @julusian/jpeg-turbo"
)
missing=0
for module in @serialport/bindings-cpp node-hid node-libgpiod @napi-rs/canvas @julusian/jpeg-turbo; do
  if error="$(cd "$SRC" && "$NODE" -e 'require(process.argv[1])' "$module" 2>&1)"; then
    say "native module $module: loads"
  else
    reason="$(echo "$error" | grep -m1 -E 'Error|error' || echo "$error" | head -1)"
    case " ${needs[$driver]:-} " in
      *" $module "*) echo "hanvisa install: native module $module does NOT load, and driver $driver needs it: $reason" >&2
        missing=1 ;;
      *) say "native module $module: does not load ($reason); only needed by another driver" ;;
    esac
  fi
done
if [ "$missing" -ne 0 ]; then
  fail "fix: apt-get install libgpiod-dev libusb-1.0-0 build-essential, then npm rebuild in $SRC"
fi

if [ -z "$ROOT" ]; then
  udevadm control --reload-rules && udevadm trigger
  systemctl daemon-reload
  if [ "$START" -eq 1 ]; then
    systemctl enable --now hanvisa-agent hanvisa-agent-update.timer
  else
    systemctl enable hanvisa-agent hanvisa-agent-update.timer
  fi
  say "done: journalctl -u hanvisa-agent -f shows the agent"
else
  say "installed into $ROOT"
fi
