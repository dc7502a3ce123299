#!/usr/bin/env bash
# Times the benchmark kernels: `wgi run K.wasm --invoke run` against the
# same C source built natively with gcc -O2, as whole processes.
#
#   bench/run_kernels.sh [--reps N] [--only NAME[,NAME...]] [--suite own|yardstick|all]
#                        [--runner wgi|driver] [--build-dir DIR] [--markdown] [--trace]
#
# For each kernel: one untimed run of each side (warms the page cache and
# records the checksums), then N paired timed runs, alternating which side
# goes first. Every run's output must equal the native checksum; a mismatch
# or a failed run is an error (the kernel is left out of the means and the
# script exits 1). Per kernel it prints the median wall and user (CPU) time
# of each side and their ratios (wgi median / native median), then the
# geometric mean of the ratios for each suite: "yardstick" (the five
# kernels with published figures for other interpreters, the performance
# acceptance) and "own" (bench/kernels/).
#
# With --trace the pair is wgi against itself: `wgi run K.wasm --invoke run`
# (the baseline, in the "native" columns) and `wgi run --trace --trace-out
# TMP K.wasm --invoke run` (recording and writing the trace, in the "wgi"
# columns), so the ratios are the cost of tracing, trace files included.
#
# Options:
#   --reps N         timed runs per side per kernel (default 5)
#   --only NAMES     only these kernels (comma-separated names)
#   --suite S        own, yardstick or all (default all)
#   --runner R       wgi: `wgi run` (default); driver: bench's wgi_kernel_run,
#                    the library without the CLI
#   --build-dir DIR  the CMake build directory (default: $WGI_BUILD_DIR,
#                    else build/ beside bench/)
#   --markdown       print the table as Markdown (for bench/README.md)
#   --trace          traced wgi against untraced wgi (above); implies --runner wgi
#   --trace-limit N  with --trace: passed to wgi (default: wgi's own default)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
reps=5
only=""
suite=all
runner=wgi
build_dir=${WGI_BUILD_DIR:-$repo/build}
markdown=0
trace=0
trace_limit=""

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-2}"
}
die() { echo "run_kernels.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --reps) [ $# -ge 2 ] || die "--reps needs a value"; reps=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || die "--only needs a value"; only=$2; shift 2 ;;
    --suite) [ $# -ge 2 ] || die "--suite needs a value"; suite=$2; shift 2 ;;
    --runner) [ $# -ge 2 ] || die "--runner needs a value"; runner=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir=$2; shift 2 ;;
    --markdown) markdown=1; shift ;;
    --trace) trace=1; shift ;;
    --trace-limit) [ $# -ge 2 ] || die "--trace-limit needs a value"; trace_limit=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "run_kernels.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
case "$suite" in own|yardstick|all) ;; *) die "--suite must be own, yardstick or all" ;; esac
case "$runner" in wgi|driver) ;; *) die "--runner must be wgi or driver" ;; esac
if [ $trace -eq 1 ] && [ "$runner" != wgi ]; then die "--trace needs --runner wgi"; fi
if [ -n "$trace_limit" ] && [ $trace -eq 0 ]; then die "--trace-limit needs --trace"; fi

manifest=$build_dir/bench/kernels/kernels.tsv
[ -f "$manifest" ] || die "$manifest not found: configure with -DWGI_BUILD_BENCH=ON and build (cmake --build $build_dir --target wgi wgi_kernel_run wgi_bench_kernels)"

wgi_bin=$(awk -F'\t' '$1 == "wgi" { print $2 }' "$manifest")
driver_bin=$(awk -F'\t' '$1 == "driver" { print $2 }' "$manifest")
if [ "$runner" = wgi ]; then
  [ -x "$wgi_bin" ] || die "$wgi_bin not built"
  wgi_help=$("$wgi_bin" --help 2>&1 || true)
  [[ "$wgi_help" == *"wgi run"* ]] || die "$wgi_bin has no 'run' command; use --runner driver"
else
  [ -x "$driver_bin" ] || die "$driver_bin not built (target wgi_kernel_run)"
fi

# The kernels to run: "suite name wasm native" lines.
kernels=()
while IFS=$'\t' read -r k_suite k_name k_wasm k_native; do
  case "$k_suite" in own|yardstick) ;; *) continue ;; esac
  [ "$suite" = all ] || [ "$suite" = "$k_suite" ] || continue
  if [ -n "$only" ] && [[ ",$only," != *",$k_name,"* ]]; then continue; fi
  kernels+=("$k_suite"$'\t'"$k_name"$'\t'"$k_wasm"$'\t'"$k_native")
done < "$manifest"
[ ${#kernels[@]} -gt 0 ] || die "no kernel matches (suite=$suite${only:+, only=$only})"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_timed OUT_FILE CMD...: runs CMD with stdout to OUT_FILE; prints
# "wall user" in seconds. Returns CMD's exit status.
run_timed() {
  local out=$1; shift
  local TIMEFORMAT='%3R %3U' status=0
  { time "$@" >"$out" 2>"$tmp/stderr"; } 2>"$tmp/time" || status=$?
  if [ $status -ne 0 ]; then
    sed 's/^/    /' "$tmp/stderr" >&2
    return $status
  fi
  cat "$tmp/time"
}

# median of the numbers on stdin
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
                                      else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# ratio A B = A / B, with B at least 1 ms (the timer's resolution)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.001) b = 0.001; printf "%.2f", a / b }'; }
# geometric mean of the numbers on stdin
geomean() { awk '{ s += log($1); n++ } END { if (n) printf "%.2f", exp(s / n); else printf "-" }'; }

# ---- header ---------------------------------------------------------------
cpu=$(lscpu 2>/dev/null | awk -F: '/^Model name/ { sub(/^[ \t]+/, "", $2); print $2; exit }')
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit+dirty"; fi
if [ "$runner" = wgi ]; then runner_desc="wgi run K.wasm --invoke run"; else runner_desc="wgi_kernel_run K.wasm"; fi
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, ${cpu:-unknown CPU}, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $trace -eq 1 ]; then
  # The column names: the baseline and the measured side.
  base=untraced; meas=traced
  echo "# traced: wgi run --trace${trace_limit:+ --trace-limit $trace_limit} K.wasm --invoke run (trace files written);"
  echo "# untraced: $runner_desc; medians of $reps paired runs; ratio = traced / untraced"
else
  base=native; meas=wgi
  echo "# wgi side: $runner_desc; native: gcc -O2; medians of $reps paired runs; ratio = wgi / native"
fi

if [ $markdown -eq 1 ]; then
  echo
  echo "| kernel | suite | $base wall s | $meas wall s | $meas/$base wall | $base user s | $meas user s | $meas/$base user | checksum |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
else
  printf '%-12s %-9s %9s %9s %7s %9s %9s %7s  %s\n' kernel suite "$base" "$meas" "ratio" \
    "$base" "$meas" "ratio" checksum
  printf '%-12s %-9s %9s %9s %7s %9s %9s %7s\n' "" "" "wall s" "wall s" "wall" \
    "user s" "user s" "user"
fi

failed=0
: >"$tmp/ratios"
# failed_row NAME SUITE REASON: the table row of a kernel that failed.
failed_row() {
  failed=1
  if [ $markdown -eq 1 ]; then
    printf '| %s | %s | FAILED: %s | | | | | | |\n' "$1" "$2" "$3"
  else
    printf '%-12s %-9s FAILED: %s\n' "$1" "$2" "$3"
  fi
}
for entry in "${kernels[@]}"; do
  IFS=$'\t' read -r k_suite k_name k_wasm k_native <<<"$entry"
  if [ ! -f "$k_wasm" ] || [ ! -x "$k_native" ]; then
    echo "run_kernels.sh: $k_name: $k_wasm or $k_native missing (build target wgi_bench_kernels)" >&2
    failed_row "$k_name" "$k_suite" "not built"; continue
  fi
  if [ $trace -eq 1 ]; then
    wasm_cmd=("$wgi_bin" run --trace --trace-out "$tmp/trace" ${trace_limit:+--trace-limit "$trace_limit"}
              "$k_wasm" --invoke run)
    native_cmd=("$wgi_bin" run "$k_wasm" --invoke run)
  elif [ "$runner" = wgi ]; then
    wasm_cmd=("$wgi_bin" run "$k_wasm" --invoke run)
    native_cmd=("$k_native")
  else
    wasm_cmd=("$driver_bin" "$k_wasm" run)
    native_cmd=("$k_native")
  fi

  # Untimed first runs: the reference checksum and a warm cache.
  if ! run_timed "$tmp/native.out" "${native_cmd[@]}" >/dev/null; then
    echo "run_kernels.sh: $k_name: the native run failed" >&2
    failed_row "$k_name" "$k_suite" "native run failed"; continue
  fi
  expected=$(cat "$tmp/native.out")
  ok=1
  : >"$tmp/nw"; : >"$tmp/nu"; : >"$tmp/ww"; : >"$tmp/wu"
  for ((i = 0; i <= reps && ok; i++)); do
    # i = 0 is the untimed wgi warm-up; then alternate the order of the pair.
    for side in $( ((i % 2)) && echo "wasm native" || echo "native wasm"); do
      [ $i -eq 0 ] && [ $side = native ] && continue
      if [ $side = native ]; then cmd=("${native_cmd[@]}"); else cmd=("${wasm_cmd[@]}"); fi
      if ! t=$(run_timed "$tmp/$side.out" "${cmd[@]}"); then
        echo "run_kernels.sh: $k_name: '${cmd[*]}' failed" >&2
        why="$side run failed"; ok=0; break
      fi
      got=$(cat "$tmp/$side.out")
      if [ "$got" != "$expected" ]; then
        echo "run_kernels.sh: $k_name: checksum mismatch: $side printed '$got', native printed '$expected'" >&2
        why="checksum mismatch"; ok=0; break
      fi
      [ $i -eq 0 ] && continue
      read -r wall user <<<"$t"
      if [ $side = native ]; then echo "$wall" >>"$tmp/nw"; echo "$user" >>"$tmp/nu"
      else echo "$wall" >>"$tmp/ww"; echo "$user" >>"$tmp/wu"; fi
    done
  done
  if [ $ok -eq 0 ]; then failed_row "$k_name" "$k_suite" "$why"; continue; fi

  nw=$(median <"$tmp/nw"); nu=$(median <"$tmp/nu")
  ww=$(median <"$tmp/ww"); wu=$(median <"$tmp/wu")
  rw=$(ratio "$ww" "$nw"); ru=$(ratio "$wu" "$nu")
  printf '%s\t%s\t%s\n' "$k_suite" "$rw" "$ru" >>"$tmp/ratios"
  if [ $markdown -eq 1 ]; then
    printf '| %s | %s | %s | %s | %s× | %s | %s | %s× | %s |\n' "$k_name" "$k_suite" \
      "$nw" "$ww" "$rw" "$nu" "$wu" "$ru" "$expected"
  else
    printf '%-12s %-9s %9s %9s %6s× %9s %9s %6s×  %s\n' "$k_name" "$k_suite" \
      "$nw" "$ww" "$rw" "$nu" "$wu" "$ru" "$expected"
  fi
done

# ---- geometric means --------------------------------------------------------
echo
for s in yardstick own; do
  n=$(awk -F'\t' -v s=$s '$1 == s' "$tmp/ratios" | wc -l)
  [ "$n" -gt 0 ] || continue
  gw=$(awk -F'\t' -v s=$s '$1 == s { print $2 }' "$tmp/ratios" | geomean)
  gu=$(awk -F'\t' -v s=$s '$1 == s { print $3 }' "$tmp/ratios" | geomean)
  if [ $trace -eq 1 ]; then
    note="(target ≤ 3×)"
    label="$s geomean traced/untraced"
  elif [ $s = yardstick ]; then
    note="(target ≤ 14×; wasm3 14.3×, WAMR fast-interp 14.1×, wall time)"
    label="yardstick geomean wgi/native"
  else
    note=""
    label="own suite geomean wgi/native"
  fi
  [ $markdown -eq 1 ] && pre="- " || pre=""
  echo "${pre}$label over $n kernels: wall ${gw}×, user ${gu}×${note:+ $note}"
done

if [ $failed -ne 0 ]; then
  echo "run_kernels.sh: some kernels failed (see above)" >&2
  exit 1
fi
