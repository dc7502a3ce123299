#!/usr/bin/env bash
# The cost of deadlock detection, as whole processes: the live checks that
# are always on (against a wgi from before them, --before BIN), and
# `wgi run --deadlock` (lock-order prediction) against a plain `wgi run`,
# on threadlink programs built with the lock hooks (every lock operation
# reaches the runtime).
#
#   bench/run_deadlock.sh [--reps N] [--before BIN] [--build-dir DIR] [--markdown]
#
# Programs:
#   pipeline   examples/threadlink/pipeline_traced.wasm  pipeline 200000 3
#   primes     examples/threadlink/primes_traced.wasm    count_primes 1000000 4
#   queue      bench/race/queue_hooks.wasm               queue 1000000 4
#   sum_hist   bench/race/sum_hist_hooks.wasm            sum_hist 8000000 4
# Modes: before (BIN run F ...; only with --before), plain (wgi run F ...),
# deadlock (wgi run --deadlock F ...). Each round runs every mode once,
# rotating which goes first; every run must exit 0 and print what the first
# plain run printed. Per mode: median wall and user time; ratios against
# plain.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
reps=5
before=""
build_dir=${WGI_BUILD_DIR:-$repo/build}
markdown=0
die() { echo "run_deadlock.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) [ $# -ge 2 ] || die "--reps needs a value"; reps=$2; shift 2 ;;
    --before) [ $# -ge 2 ] || die "--before needs a value"; before=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir=$2; shift 2 ;;
    --markdown) markdown=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
wgi=$build_dir/wgi
[ -x "$wgi" ] || die "$wgi not built"
[ -z "$before" ] || [ -x "$before" ] || die "$before is not an executable"

programs=(
  "pipeline|$build_dir/examples/threadlink/pipeline_traced.wasm|pipeline|200000 3"
  "primes|$build_dir/examples/threadlink/primes_traced.wasm|count_primes|1000000 4"
  "queue|$build_dir/bench/race/queue_hooks.wasm|queue|1000000 4"
  "sum_hist|$build_dir/bench/race/sum_hist_hooks.wasm|sum_hist|8000000 4"
)
modes=(plain deadlock)
[ -n "$before" ] && modes=(before plain deadlock)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run_timed() {  # OUT CMD...: prints "wall user"
  local out=$1; shift
  local TIMEFORMAT='%3R %3U' status=0
  { time "$@" >"$out" 2>"$tmp/stderr"; } 2>"$tmp/time" || status=$?
  [ $status -eq 0 ] || { sed 's/^/    /' "$tmp/stderr" >&2; return $status; }
  cat "$tmp/time"
}
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
                                      else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.001) b = 0.001; printf "%.2f", a / b }'; }

cpu=$(lscpu 2>/dev/null | awk -F: '/^Model name/ { sub(/^[ \t]+/, "", $2); print $2; exit }')
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, ${cpu:-unknown CPU}, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# medians of $reps rounds; modes: ${modes[*]}"
if [ $markdown -eq 1 ]; then
  [ -n "$before" ] && { echo "| program | before wall s | plain wall s | plain/before wall | deadlock wall s | deadlock/plain wall | plain user s | deadlock user s | deadlock/plain user | output |"; echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"; } \
    || { echo "| program | plain wall s | deadlock wall s | deadlock/plain wall | plain user s | deadlock user s | deadlock/plain user | output |"; echo "|---|---:|---:|---:|---:|---:|---:|---|"; }
fi
failed=0
for p in "${programs[@]}"; do
  IFS='|' read -r name file func args <<<"$p"
  [ -f "$file" ] || { echo "run_deadlock.sh: $file not built" >&2; failed=1; continue; }
  # shellcheck disable=SC2206
  declare -a cmd_plain=("$wgi" run "$file" --invoke "$func" $args)
  declare -a cmd_deadlock=("$wgi" run --deadlock "$file" --invoke "$func" $args)
  declare -a cmd_before=("${before:-$wgi}" run "$file" --invoke "$func" $args)
  run_timed "$tmp/ref" "${cmd_plain[@]}" >/dev/null || { echo "$name: plain run failed" >&2; failed=1; continue; }
  expected=$(cat "$tmp/ref")
  for m in "${modes[@]}"; do : >"$tmp/$m.w"; : >"$tmp/$m.u"; done
  ok=1
  for ((i = 0; i < reps && ok; i++)); do
    n=${#modes[@]}
    for ((j = 0; j < n; j++)); do
      m=${modes[$(((i + j) % n))]}
      cmd_var="cmd_$m[@]"
      t=$(run_timed "$tmp/out" "${!cmd_var}") || { echo "$name: $m run failed" >&2; ok=0; break; }
      [ "$(cat "$tmp/out")" = "$expected" ] || { echo "$name: $m output differs" >&2; ok=0; break; }
      read -r wall user <<<"$t"
      echo "$wall" >>"$tmp/$m.w"; echo "$user" >>"$tmp/$m.u"
    done
  done
  [ $ok -eq 1 ] || { failed=1; continue; }
  pw=$(median <"$tmp/plain.w"); pu=$(median <"$tmp/plain.u")
  dw=$(median <"$tmp/deadlock.w"); du=$(median <"$tmp/deadlock.u")
  if [ -n "$before" ]; then
    bw=$(median <"$tmp/before.w")
    if [ $markdown -eq 1 ]; then
      echo "| \`$name\` | $bw | $pw | $(ratio "$pw" "$bw")× | $dw | $(ratio "$dw" "$pw")× | $pu | $du | $(ratio "$du" "$pu")× | $expected |"
    else
      printf '%-9s before %6s  plain %6s (%s×)  deadlock %6s (%s× wall, %s× user)  %s\n' "$name" "$bw" "$pw" \
        "$(ratio "$pw" "$bw")" "$dw" "$(ratio "$dw" "$pw")" "$(ratio "$du" "$pu")" "$expected"
    fi
  elif [ $markdown -eq 1 ]; then
    echo "| \`$name\` | $pw | $dw | $(ratio "$dw" "$pw")× | $pu | $du | $(ratio "$du" "$pu")× | $expected |"
  else
    printf '%-9s plain %6s  deadlock %6s (%s× wall, %s× user)  %s\n' "$name" "$pw" "$dw" "$(ratio "$dw" "$pw")" \
      "$(ratio "$du" "$pu")" "$expected"
  fi
done
exit $failed
