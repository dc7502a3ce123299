#!/usr/bin/env bash
# The cost of tracing multithreaded programs: the threadlink examples built
# with the lock hooks, `wgi run` against `wgi run --trace` (trace files
# written), as whole processes.
#
#   bench/trace_examples.sh [--reps N] [--build-dir DIR] [--markdown]
#
# Programs (build/examples/threadlink/, target wgi_threadlink_examples):
#   primes_traced.wasm   count_primes 3000000 2   arithmetic, few shared accesses
#   pipeline_traced.wasm pipeline 300000 2        a queue under a mutex: lock-heavy
# For each: one untimed run of each side (output checked equal), then N
# paired timed runs alternating which side goes first; medians of wall and
# user (CPU, all threads) time and their ratios, traced / untraced.
#
# Options:
#   --reps N         timed runs per side (default 5)
#   --build-dir DIR  the CMake build directory (default: $WGI_BUILD_DIR, else
#                    build/ beside bench/)
#   --markdown       print the table as Markdown (for bench/README.md)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
reps=5
build_dir=${WGI_BUILD_DIR:-$repo/build}
markdown=0

die() { echo "trace_examples.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) [ $# -ge 2 ] || die "--reps needs a value"; reps=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir=$2; shift 2 ;;
    --markdown) markdown=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
wgi=$build_dir/wgi
ex=$build_dir/examples/threadlink
[ -x "$wgi" ] || die "$wgi not built"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "wall user" of one run, stdout to $1; fails when the command does.
run_timed() {
  local out=$1; shift
  local TIMEFORMAT='%3R %3U'
  { time "$@" >"$out" 2>"$tmp/stderr"; } 2>"$tmp/time" || { cat "$tmp/stderr" >&2; return 1; }
  cat "$tmp/time"
}
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
                                      else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.001) b = 0.001; printf "%.2f", a / b }'; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $reps paired runs"
if [ $markdown -eq 1 ]; then
  echo
  echo "| program | untraced wall s | traced wall s | traced/untraced wall | untraced user s | traced user s | traced/untraced user | events |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
fi

programs=("primes_traced.wasm count_primes 3000000 2" "pipeline_traced.wasm pipeline 300000 2")
for p in "${programs[@]}"; do
  read -r file func args <<<"$p"
  [ -f "$ex/$file" ] || die "$ex/$file not built (target wgi_threadlink_examples)"
  plain=("$wgi" run "$ex/$file" --invoke "$func" $args)
  traced=("$wgi" run --trace --trace-out "$tmp/t" "$ex/$file" --invoke "$func" $args)
  run_timed "$tmp/a" "${plain[@]}" >/dev/null
  run_timed "$tmp/b" "${traced[@]}" >/dev/null
  cmp -s "$tmp/a" "$tmp/b" || die "$file: traced and untraced outputs differ"
  events=$(sed -n 's/^wgi: trace: \([0-9]*\) events.*/\1/p' "$tmp/stderr")
  : >"$tmp/pw"; : >"$tmp/pu"; : >"$tmp/tw"; : >"$tmp/tu"
  for ((i = 0; i < reps; i++)); do
    for side in $( ((i % 2)) && echo "traced plain" || echo "plain traced"); do
      if [ $side = plain ]; then t=$(run_timed "$tmp/a" "${plain[@]}"); read -r w u <<<"$t"; echo "$w" >>"$tmp/pw"; echo "$u" >>"$tmp/pu"
      else t=$(run_timed "$tmp/b" "${traced[@]}"); read -r w u <<<"$t"; echo "$w" >>"$tmp/tw"; echo "$u" >>"$tmp/tu"; fi
    done
  done
  pw=$(median <"$tmp/pw"); pu=$(median <"$tmp/pu"); tw=$(median <"$tmp/tw"); tu=$(median <"$tmp/tu")
  if [ $markdown -eq 1 ]; then
    printf '| `%s %s %s` | %s | %s | %s× | %s | %s | %s× | %s |\n' "$file" "$func" "$args" "$pw" "$tw" \
      "$(ratio "$tw" "$pw")" "$pu" "$tu" "$(ratio "$tu" "$pu")" "$events"
  else
    printf '%-22s untraced %7s s wall %7s s user; traced %7s s wall %7s s user; ratio %s× wall %s× user; %s events\n' \
      "$file" "$pw" "$pu" "$tw" "$tu" "$(ratio "$tw" "$pw")" "$(ratio "$tu" "$pu")" "$events"
  fi
done
