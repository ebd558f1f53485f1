#!/usr/bin/env bash
# Restores a backup (made by scripts/backup.sh or POST /v1/operations/backup) in place of a
# stopped gateway's store: the backup is checked (opened read-only, every table file's checksums,
# its acknowledged mark) before anything is touched, copied beside the store and fsync'd, and
# swapped in with a rename; a store already there is moved aside to <data.dir>/store.replaced-<time>,
# never deleted. docs/operations.md, "Backup and restore".
#
#   scripts/restore.sh BACKUP_DIR DATA_DIR
#
# Stop the gateway on DATA_DIR first: a store whose LOCK is held is refused. Then start the
# gateway on DATA_DIR again, with its keys.dir holding the recipients' keys (the node's own, or
# your key backup's copy): the backup does not contain them.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
backup=$(cd "$1" && pwd)
data_dir=$2
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
exec ./gateway restore --from "$backup" --data-dir "$data_dir"
