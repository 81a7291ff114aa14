#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing, and says what it installs.
# mosquitto: the real broker for integration tests; gcc-avr/avr-libc/binutils-avr: the key-panel
# firmware build; chromium: the board's end-to-end tests; libusb-1.0-0: node-hid at run time;
# udev: udevadm, which SerialPort.list() calls; kamailio + kamailio-presence-modules: the PBX side of
# the SIP adapter's tests (presence, presence_xml, presence_mwi; db_text is in the base package);
# sipsak and baresip-core: real SIP peers (the voicemail server, a phone watching presence).
# postgresql: the recorder's production store, started by test/support/postgres.ts (the package's own
# cluster is not used and not started).
# radicale + python3-tz: the real CalDAV server for the calendar bridge's tests (python3-tz is only
# recommended, but vobject needs it for TZIDs without VTIMEZONE).
# libgpiod-dev: what the optional node-libgpiod (GPIO driver) builds against; a fresh machine's npm
# install ran before it was here, so scripts/build-gpio-library.sh builds the library after this;
# systemd: systemd-analyze, which checks the installed desk unit.
# openssl: the CLI that makes the TLS tests' CA and certificates (test/support/tls.ts);
# rabbitmq-server: the second broker of the broker-neutrality tests (its MQTT plugin ships in the package).
# nats-server: the 3-node cluster (JetStream, MQTT front end) of the regional-host tests (test/support/nats.ts).
# kamailio-tls-modules: SIP over TLS between the phone bridge and Kamailio.
# python3-aiosmtpd: the real SMTP server that receives the phone-message e-mails in the tests.
set -euo pipefail

need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v avr-gcc >/dev/null 2>&1 || need+=(gcc-avr)
command -v avr-size >/dev/null 2>&1 || need+=(binutils-avr)
[ -f /usr/lib/avr/include/avr/io.h ] || need+=(avr-libc)
[ -x /usr/bin/chromium ] || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libusb-1.0.so.0' || need+=(libusb-1.0-0)
command -v udevadm >/dev/null 2>&1 || need+=(udev)
command -v kamailio >/dev/null 2>&1 || need+=(kamailio)
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/presence_mwi.so ] || need+=(kamailio-presence-modules)
command -v sipsak >/dev/null 2>&1 || need+=(sipsak)
command -v baresip >/dev/null 2>&1 || need+=(baresip-core)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v radicale >/dev/null 2>&1 || need+=(radicale)
/usr/bin/python3 -c 'import pytz' >/dev/null 2>&1 || need+=(python3-tz)
[ -f /usr/include/gpiod.h ] || need+=(libgpiod-dev)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so ] || need+=(kamailio-tls-modules)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)

if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages: not root; please run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the mosquitto, kamailio, postgresql and rabbitmq-server packages from starting system servers: tests
# run their own.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "system packages: installed ${need[*]}"
