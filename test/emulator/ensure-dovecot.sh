#!/bin/sh
# Installs Dovecot (IMAP) for the Microsoft 365 emulator when it is missing (Debian, as root).
# Usage from a test script: bash test/emulator/ensure-dovecot.sh
set -e
if [ -x /usr/sbin/dovecot ] || [ -n "$MAIL_OAUTH_DOVECOT" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "Dovecot is missing: run as root: apt-get install -y dovecot-imapd" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends dovecot-imapd >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends dovecot-imapd >/dev/null; }
# The emulator starts its own Dovecot with its own config; the system service is not needed.
(systemctl disable --now dovecot 2>/dev/null || service dovecot stop 2>/dev/null || true) >/dev/null 2>&1
