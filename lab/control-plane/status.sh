#!/usr/bin/env bash
# One line per component: "name running|dead|stopped pid=N". dead = up.sh started it and it is gone
# (its pid file remains); stopped = not started, or stopped by down.sh. Exit 1 if any is dead.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rc=0
for name in "${COMPONENTS[@]}"; do
  if pid=$(pid_of "$name"); then
    echo "$name running pid=$pid"
  elif [[ -f "$PID_DIR/$name.pid" ]]; then
    echo "$name dead pid=$(<"$PID_DIR/$name.pid")"
    rc=1
  else
    echo "$name stopped pid=-"
  fi
done
exit "$rc"
