#!/usr/bin/env bash
# Start-up of a big module as a whole process: `wgi run BIG.wasm`, where
# BIG.wasm is the synthetic module of bench/big_module.h (its _start returns
# at once, so the time is reading, decoding, validating, instantiating and
# reaching the first instruction, plus process start and exit).
#
#   bench/run_startup.sh [--mb N] [--reps N] [--before WGI] [--build-dir DIR]
#
# Writes the module with wgi_gen_big_module (target of bench/), runs it once
# untimed (page cache), then N timed runs (paired and alternating with the
# --before binary when one is given), and prints the median and the fastest
# wall time and the median peak resident set size of each binary.
#
# Options:
#   --mb N           module size in MiB (default 20)
#   --reps N         timed runs per binary (default 11)
#   --before WGI     another wgi binary to compare with (e.g. a build of an
#                    older commit)
#   --build-dir DIR  the CMake build directory (default: $WGI_BUILD_DIR, else
#                    build/ beside bench/)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
mb=20
reps=11
before=""
build_dir=${WGI_BUILD_DIR:-$repo/build}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-2}"
}
die() { echo "run_startup.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb=${2:?}; shift 2 ;;
    --reps) reps=${2:?}; shift 2 ;;
    --before) before=${2:?}; shift 2 ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

wgi=$build_dir/wgi
gen=$build_dir/bench/wgi_gen_big_module
[ -x "$wgi" ] || die "no $wgi: build wgi first"
[ -x "$gen" ] || die "no $gen: build the target wgi_gen_big_module first"
[ -z "$before" ] || [ -x "$before" ] || die "--before $before is not an executable"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
module=$tmp/big.wasm
"$gen" "$mb" "$module" >/dev/null

# One timed run: "wall_seconds max_rss_kb" appended to $2.
run() {
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$1" run "$module" >/dev/null 2>"$tmp/err" ||
    die "$1 run failed: $(cat "$tmp/err")"
  cat "$tmp/t" >>"$2"
}
binaries=("$wgi")
[ -z "$before" ] || binaries=("$before" "$wgi")
for b in "${binaries[@]}"; do "$b" run "$module" >/dev/null; done  # untimed
for ((i = 0; i < reps; ++i)); do
  if [ $((i % 2)) -eq 0 ]; then order=("${binaries[@]}"); else order=($(printf '%s\n' "${binaries[@]}" | tac)); fi
  for b in "${order[@]}"; do run "$b" "$tmp/times.$(echo "$b" | md5sum | cut -c1-8)"; done
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# module: $(stat -c %s "$module") bytes ($mb MiB), medians of $reps runs"
printf '%-40s %10s %10s %10s\n' binary "median s" "fastest s" "RSS MB"
for b in "${binaries[@]}"; do
  f=$tmp/times.$(echo "$b" | md5sum | cut -c1-8)
  median=$(cut -d' ' -f1 "$f" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  fastest=$(cut -d' ' -f1 "$f" | sort -n | head -1)
  rss=$(cut -d' ' -f2 "$f" | sort -n | awk '{v[NR]=$1} END {printf "%.0f", v[int((NR+1)/2)]/1024}')
  printf '%-40s %10s %10s %10s\n' "$b" "$median" "$fastest" "$rss"
done
