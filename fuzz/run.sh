#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET...]: run each fuzz target (all of them by default) for
# SECONDS (default 60) with cargo-fuzz and libFuzzer, starting from the committed seed
# corpus. New inputs go to fuzz/work/<target>/ (not committed); a crash, a panic, a
# timeout (an input taking over FUZZ_TIMEOUT seconds, default 10) or an input needing
# over FUZZ_RSS_MB of memory (default 2048) stops that target and is saved under
# fuzz/artifacts/<target>/; the script goes on with the other targets and exits 1 at the
# end if any failed.
#
# Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags.
# FUZZ_SANITIZER (default address) is passed to `cargo fuzz --sanitizer`; `none` builds
# faster and runs about twice as fast, without AddressSanitizer's checks. FUZZ_BUILD=dev
# builds without optimisation (quicker to build, slower to run: for smoke runs).
set -euo pipefail
export LC_ALL=C
fuzz="$(cd "$(dirname "$0")" && pwd)"
cd "$(dirname "$fuzz")"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(figures check rules config docx lsp markup)
fi
sanitizer="${FUZZ_SANITIZER:-address}"
build=()
if [ "${FUZZ_BUILD:-release}" = dev ]; then
  build=(--dev)
fi
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)" >&2
  exit 2
fi
# Every target at once (the library is built once for all of them).
if ! cargo fuzz build "${build[@]}" --sanitizer "$sanitizer" >"$fuzz/build.log" 2>&1; then
  tail -n 30 "$fuzz/build.log" >&2
  echo "fuzz/run.sh: the fuzz targets did not build (log: fuzz/build.log)" >&2
  exit 2
fi

failed=()
for target in "${targets[@]}"; do
  seeds=("$fuzz/corpus/$target")
  if [ "$target" = figures ]; then
    seeds=("$fuzz/corpus/check")
  fi
  work="$fuzz/work/$target"
  mkdir -p "$work" "$fuzz/artifacts/$target"
  log="$fuzz/work/$target.log"
  echo "== $target: ${seconds}s" >&2
  if cargo fuzz run "${build[@]}" --sanitizer "$sanitizer" "$target" "$work" "${seeds[@]}" -- \
      -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" \
      -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1 >"$log" 2>&1; then
    # The last status line and the totals: executions, speed, coverage, corpus size.
    grep -E '^#[0-9]+' "$log" | tail -n 1 >&2 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" >&2 || true
  else
    failed+=("$target")
    echo "!! $target failed; see $log" >&2
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -n 6 >&2 || true
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz/run.sh: failures in: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz/run.sh: ${#targets[@]} targets, ${seconds}s each, no failure" >&2
