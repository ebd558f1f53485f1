#!/usr/bin/env bash
# Backs up a running gateway's store, online: asks the gateway (POST /v1/operations/backup, with
# the platform credential) to make a consistent copy under its backup.dir, checked before it
# answers, and with --copy-to copies that backup to another directory (another disk, a mount of
# the backup system), which is what protects against losing the disk. docs/operations.md,
# "Backup and restore".
#
#   OPTLINE_PLATFORM_KEY=... scripts/backup.sh                        # backup-<UTC time>
#   OPTLINE_PLATFORM_KEY=... scripts/backup.sh --name nightly-1130 --copy-to /mnt/backups
#
# Settings (environment): OPTLINE_URL (default http://127.0.0.1:8080), OPTLINE_PLATFORM_KEY
# (required). Exits 0 once the backup is made (and copied), 1 when it failed, 2 on bad arguments.
#
# The recipients' keys are NOT in the backup: the store keeps numbers sealed, and the secret and
# data keys that open them live in keys.dir (default <data.dir>-keys), outside the data directory
# on purpose. Back that directory up separately (a different place from these backups); without
# it no backup can be read. docs/operations.md, "Recipients at rest".
set -euo pipefail

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

name=""
copy_to=""
while [ $# -gt 0 ]; do
  case "$1" in
    --name) [ $# -ge 2 ] || usage; name=$2; shift 2 ;;
    --copy-to) [ $# -ge 2 ] || usage; copy_to=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "backup.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
url=${OPTLINE_URL:-http://127.0.0.1:8080}
key=${OPTLINE_PLATFORM_KEY:?set OPTLINE_PLATFORM_KEY to the platform credential}
if [ -n "$copy_to" ] && [ ! -d "$copy_to" ]; then
  echo "backup.sh: --copy-to $copy_to is not a directory" >&2
  exit 2
fi
if [ -n "$name" ]; then
  body=$(printf '{"name":"%s"}' "$name")
else
  body='{}'
fi

answer=$(curl -sS -w '\n%{http_code}' -X POST "$url/v1/operations/backup" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body") || {
  echo "backup.sh: cannot reach the gateway at $url" >&2
  exit 1
}
status=${answer##*$'\n'}
result=${answer%$'\n'*}
if [ "$status" != 200 ]; then
  echo "backup.sh: the gateway refused the backup (HTTP $status): $result" >&2
  exit 1
fi
echo "$result"

if [ -n "$copy_to" ]; then
  directory=$(printf '%s' "$result" | sed -n 's/.*"directory":"\([^"]*\)".*/\1/p')
  if [ -z "$directory" ] || [ ! -d "$directory" ]; then
    echo "backup.sh: the backup's directory '$directory' is not on this machine; copy it from the gateway's host" >&2
    exit 1
  fi
  target="$copy_to/$(basename "$directory")"
  # A real copy, not the hard links the backup is made of: it must outlive the gateway's disk.
  cp -R "$directory" "$target.partial"
  sync
  mv "$target.partial" "$target"
  sync
  echo "copied to $target"
fi
echo "backup.sh: the recipients' keys (keys.dir, default <data.dir>-keys) are not in this backup;" \
  "back them up separately, or the backup cannot be read" >&2
