#!/usr/bin/env bash
# The cost of race detection: `wgi run` against `wgi run --race` (and,
# with --trace, `wgi run --trace`) on multithreaded threadlink programs,
# as whole processes.
#
#   bench/run_race.sh [--reps N] [--only NAME[,NAME...]] [--threads N]
#                     [--build-dir DIR] [--markdown] [--trace]
#
# Programs (the kernels: bench/race/*.c, target wgi_bench_race_kernels; the
# examples: examples/threadlink/, target wgi_threadlink_examples):
#   sum_hist   sum_hist 8000000 4      shared input read in slices, one
#                                      atomic add per word into 256 bins
#   queue      queue 1000000 4         2 producers, 2 consumers, a 32-slot
#                                      queue under a mutex with conditions
#   stencil    stencil 4000000 4       fork/join only: 8 rounds over two
#                                      arrays of 16 MB each
#   lookup     lookup 64000000 4       a 256 KB table read by every worker
#                                      (read-shared: read sets)
#   primes     count_primes 1000000 4  examples/threadlink/primes.c
#   pipeline   pipeline 200000 3       examples/threadlink/pipeline.c
#
# For each program: one untimed plain run (warms the page cache, gives the
# reference output), then N rounds of paired timed runs, alternating which
# mode goes first (plain race, race plain, ...; with --trace the three
# modes rotate). Every run must exit 0 (a --race run that finds races exits
# 66) and print the reference output; otherwise the program is marked
# FAILED and the script exits 1. Race runs pass --race-stats: the table
# gives the bytes of shared memory touched and the shadow bytes per byte
# touched from the last race run. Per mode: median wall time, user (CPU,
# all threads) time and maximum resident set size; ratios are race / plain
# (and traced / plain).
#
# Options:
#   --reps N         timed runs per mode per program (default 5)
#   --only NAMES     only these programs (comma-separated names)
#   --threads N      run the four kernels with N threads instead of 4 (the
#                    examples keep their arguments)
#   --build-dir DIR  the CMake build directory (default: $WGI_BUILD_DIR, else
#                    build/ beside bench/)
#   --markdown       print the table as Markdown (for bench/README.md)
#   --trace          also time `wgi run --trace --trace-out TMP` (trace files
#                    written, then deleted)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
reps=5
only=""
threads=4
build_dir=${WGI_BUILD_DIR:-$repo/build}
markdown=0
trace=0

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-2}"
}
die() { echo "run_race.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) [ $# -ge 2 ] || die "--reps needs a value"; reps=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || die "--only needs a value"; only=$2; shift 2 ;;
    --threads) [ $# -ge 2 ] || die "--threads needs a value"; threads=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir=$2; shift 2 ;;
    --markdown) markdown=1; shift ;;
    --trace) trace=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run_race.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
[[ "$threads" =~ ^[1-9][0-9]*$ ]] && [ "$threads" -le 16 ] || die "--threads must be 1..16"
wgi=$build_dir/wgi
[ -x "$wgi" ] || die "$wgi not built"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, for the resident set size) not found"

# name, file, function, arguments
programs=(
  "sum_hist|$build_dir/bench/race/sum_hist.wasm|sum_hist|8000000 $threads"
  "queue|$build_dir/bench/race/queue.wasm|queue|1000000 $threads"
  "stencil|$build_dir/bench/race/stencil.wasm|stencil|4000000 $threads"
  "lookup|$build_dir/bench/race/lookup.wasm|lookup|64000000 $threads"
  "primes|$build_dir/examples/threadlink/primes.wasm|count_primes|1000000 4"
  "pipeline|$build_dir/examples/threadlink/pipeline.wasm|pipeline|200000 3"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_timed OUT_FILE CMD...: runs CMD with stdout to OUT_FILE and stderr to
# $tmp/stderr; prints "wall user maxrss_kb". Returns CMD's exit status.
run_timed() {
  local out=$1; shift
  local TIMEFORMAT='%3R %3U' status=0
  { time /usr/bin/time -f %M -o "$tmp/rss" "$@" >"$out" 2>"$tmp/stderr"; } 2>"$tmp/time" || status=$?
  if [ $status -ne 0 ]; then
    sed 's/^/    /' "$tmp/stderr" >&2
    return $status
  fi
  echo "$(cat "$tmp/time") $(tail -n 1 "$tmp/rss")"
}
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
                                      else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.001) b = 0.001; printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

cpu=$(lscpu 2>/dev/null | awk -F: '/^Model name/ { sub(/^[ \t]+/, "", $2); print $2; exit }')
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit+dirty"; fi
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, ${cpu:-unknown CPU}, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# plain: wgi run F --invoke ...; race: wgi run --race --race-stats ...$([ $trace -eq 1 ] && echo "; traced: wgi run --trace --trace-out TMP ...")"
echo "# medians of $reps paired runs; ratios = race / plain$([ $trace -eq 1 ] && echo ", traced / plain"); RSS = maximum resident set size"
if [ $markdown -eq 1 ]; then
  echo
  if [ $trace -eq 1 ]; then
    echo "| program | plain wall s | race wall s | race/plain wall | plain user s | race user s | race/plain user | traced wall s | traced/plain wall | traced/plain user | plain RSS MiB | race RSS MiB | touched bytes | shadow bytes per byte | output |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  else
    echo "| program | plain wall s | race wall s | race/plain wall | plain user s | race user s | race/plain user | plain RSS MiB | race RSS MiB | touched bytes | shadow bytes per byte | output |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  fi
else
  printf '%-9s %8s %8s %7s %8s %8s %7s' program plain race ratio plain race ratio
  [ $trace -eq 1 ] && printf ' %8s %7s %7s' traced ratio ratio
  printf ' %8s %8s %11s %7s  %s\n' "RSS MiB" "RSS MiB" touched "shadow" output
  printf '%-9s %8s %8s %7s %8s %8s %7s' "" "wall s" "wall s" wall "user s" "user s" user
  [ $trace -eq 1 ] && printf ' %8s %7s %7s' "wall s" wall user
  printf ' %8s %8s %11s %7s\n' plain race bytes "B/B"
fi

failed=0
failed_row() {
  failed=1
  if [ $markdown -eq 1 ]; then printf '| %s | FAILED: %s |\n' "$1" "$2"
  else printf '%-9s FAILED: %s\n' "$1" "$2"; fi
}
modes=(plain race)
[ $trace -eq 1 ] && modes+=(traced)
for p in "${programs[@]}"; do
  IFS='|' read -r name file func args <<<"$p"
  if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then continue; fi
  if [ ! -f "$file" ]; then
    echo "run_race.sh: $file not built (targets wgi_bench_race_kernels, wgi_threadlink_examples)" >&2
    failed_row "$name" "not built"; continue
  fi
  # shellcheck disable=SC2206
  declare -a cmd_plain=("$wgi" run "$file" --invoke "$func" $args)
  declare -a cmd_race=("$wgi" run --race --race-stats "$file" --invoke "$func" $args)
  declare -a cmd_traced=("$wgi" run --trace --trace-out "$tmp/trace" "$file" --invoke "$func" $args)
  if ! run_timed "$tmp/ref" "${cmd_plain[@]}" >/dev/null; then
    echo "run_race.sh: $name: the plain run failed" >&2
    failed_row "$name" "plain run failed"; continue
  fi
  expected=$(cat "$tmp/ref")
  for m in "${modes[@]}"; do : >"$tmp/$m.w"; : >"$tmp/$m.u"; : >"$tmp/$m.m"; done
  ok=1 stats=""
  for ((i = 0; i < reps && ok; i++)); do
    # Rotate the order: plain race [traced], race [traced] plain, ...
    n=${#modes[@]}
    for ((j = 0; j < n; j++)); do
      m=${modes[$(((i + j) % n))]}
      cmd_var="cmd_$m[@]"
      status=0
      t=$(run_timed "$tmp/out" "${!cmd_var}") || status=$?
      if [ $status -ne 0 ]; then
        echo "run_race.sh: $name: the $m run exited with $status$([ $status -eq 66 ] && echo ' (races reported)')" >&2
        why="$m run exited $status"; ok=0; break
      fi
      got=$(cat "$tmp/out")
      if [ "$got" != "$expected" ]; then
        echo "run_race.sh: $name: output mismatch: $m printed '$got', plain printed '$expected'" >&2
        why="output mismatch"; ok=0; break
      fi
      if [ $m = race ]; then
        stats=$(grep '^wgi: race stats:' "$tmp/stderr" || true)
        [ -n "$stats" ] || { echo "run_race.sh: $name: no race stats line" >&2; why="no race stats"; ok=0; break; }
      fi
      rm -rf "$tmp/trace"
      read -r wall user rss <<<"$t"
      echo "$wall" >>"$tmp/$m.w"; echo "$user" >>"$tmp/$m.u"; echo "$rss" >>"$tmp/$m.m"
    done
  done
  if [ $ok -eq 0 ]; then failed_row "$name" "$why"; continue; fi

  pw=$(median <"$tmp/plain.w"); pu=$(median <"$tmp/plain.u"); pm=$(median <"$tmp/plain.m")
  rw=$(median <"$tmp/race.w"); ru=$(median <"$tmp/race.u"); rss_race=$(median <"$tmp/race.m")
  touched=$(sed -n 's/.* \([0-9]*\) bytes of shared memory touched.*/\1/p' <<<"$stats")
  per_byte=$(sed -n 's/.*(\([0-9.]*\) per byte.*/\1/p' <<<"$stats")
  if [ $trace -eq 1 ]; then
    tw=$(median <"$tmp/traced.w"); tu=$(median <"$tmp/traced.u")
  fi
  if [ $markdown -eq 1 ]; then
    printf '| `%s %s %s` | %s | %s | %s× | %s | %s | %s× |' "$(basename "$file")" "$func" "$args" \
      "$pw" "$rw" "$(ratio "$rw" "$pw")" "$pu" "$ru" "$(ratio "$ru" "$pu")"
    [ $trace -eq 1 ] && printf ' %s | %s× | %s× |' "$tw" "$(ratio "$tw" "$pw")" "$(ratio "$tu" "$pu")"
    printf ' %s | %s | %s | %s | %s |\n' "$(mib "$pm")" "$(mib "$rss_race")" "$touched" "$per_byte" "$expected"
  else
    printf '%-9s %8s %8s %6s× %8s %8s %6s×' "$name" "$pw" "$rw" "$(ratio "$rw" "$pw")" "$pu" "$ru" "$(ratio "$ru" "$pu")"
    [ $trace -eq 1 ] && printf ' %8s %6s× %6s×' "$tw" "$(ratio "$tw" "$pw")" "$(ratio "$tu" "$pu")"
    printf ' %8s %8s %11s %7s  %s\n' "$(mib "$pm")" "$(mib "$rss_race")" "$touched" "$per_byte" "$expected"
  fi
  [ $markdown -eq 1 ] || echo "          ${stats#wgi: }"
  [ $markdown -eq 1 ] && echo "$name: ${stats#wgi: }" >>"$tmp/stats_lines"
done
if [ $markdown -eq 1 ] && [ -f "$tmp/stats_lines" ]; then
  echo
  sed 's/^/- /' "$tmp/stats_lines"
fi
echo "# end $(date -u '+%H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [ $failed -ne 0 ]; then
  echo "run_race.sh: some programs failed (see above)" >&2
  exit 1
fi
