#!/usr/bin/env bash
# The hardware benchmark's recipe, for a machine with a GPU and no network. Two steps:
#
#   bash scripts/bench-hardware.sh pack
#       Here, where `npm ci` has run: writes .hw/ (git-ignored): runtime.tar.xz (the node binary,
#       the packages the CLI loads at run time, for linux-x64 only, and the built MNIST data) and
#       commit (the commit measured, for a machine without the git history).
#
#   bash scripts/bench-hardware.sh run [--max-size N] [--out DIR] [--archive FILE] [--quick] [-- BENCH FLAGS]
#       On the GPU machine, from the repository's root with .hw/ beside it (and .gl/ with the
#       Vulkan loader's .deb files where the machine has no libvulkan): installs nothing from a
#       network. Unpacks the runtime where node_modules is missing, selects the NVIDIA Vulkan driver
#       where its ICD file is at the usual place (else scripts/with-vulkan.sh's choice), then
#         1. tunes the product kernels for the default network (mlp-playground tune, a fresh cache);
#         2. runs the benchmark (ceiling, products 64..N, the training ladder, the atlas) with
#            TF.js webgpu and wasm as peers, writing bench/<adapter>/ (REPORT.md, results.json,
#            the charts; the bench tunes each product shape it meets on first use);
#         3. measures host cost on Dawn's Null backend (host-cost.json);
#       and keeps the tuner's table (tune.jsonl) and cache (tune.json) beside the report. --archive
#       also writes the report folder as one .tar.gz (for hosts that return few files).
#       --max-size 256 --quick -- --rungs xor,circle runs end to end in a few minutes on lavapipe.
set -euo pipefail
cd "$(dirname "$0")/.."
HW=.hw

die() {
  echo "bench-hardware: $*" >&2
  exit 1
}
say() { echo "bench-hardware: $*" >&2; }

# The packages the CLI loads at run time and everything they depend on, resolved as Node does.
runtime_packages() {
  node -e '
    const fs = require("fs"), path = require("path");
    const roots = ["vite", "webgpu", "lit", "uplot", "@tensorflow/tfjs", "@tensorflow/tfjs-backend-webgpu",
      "@tensorflow/tfjs-backend-wasm"];
    const seen = new Set();
    const visit = (name, from) => {
      for (let dir = from; ; dir = path.dirname(dir)) {
        const at = path.join(dir, "node_modules", name);
        if (fs.existsSync(path.join(at, "package.json"))) {
          if (seen.has(at)) return;
          seen.add(at);
          const pkg = JSON.parse(fs.readFileSync(path.join(at, "package.json"), "utf8"));
          for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, at);
          return;
        }
        if (dir === path.dirname(dir)) return;
      }
    };
    for (const r of roots) visit(r, process.cwd());
    for (const at of [...seen].sort()) console.log(path.relative(process.cwd(), at));
  '
}

pack() {
  [ -d node_modules/webgpu ] && [ -d node_modules/vite ] || die "pack needs node_modules (npm ci) first"
  node scripts/build-mnist.js >&2
  rm -rf "$HW" && mkdir -p "$HW/stage/$HW/bin"
  cp "$(command -v node)" "$HW/stage/$HW/bin/node"
  local list
  list=$(runtime_packages)
  # Only linux-x64's Dawn; no source maps.
  tar -c --exclude='*.map' --exclude='webgpu/dist/darwin-*' --exclude='webgpu/dist/win32-*' \
    --exclude='webgpu/dist/linux-arm64' $list public/data | tar -x -C "$HW/stage"
  tar -C "$HW/stage" -c . | xz -T0 -6 >"$HW/runtime.tar.xz"
  rm -rf "$HW/stage"
  git rev-parse --short HEAD >"$HW/commit" 2>/dev/null || echo unknown >"$HW/commit"
  say "wrote $HW/runtime.tar.xz ($(du -h "$HW/runtime.tar.xz" | cut -f1)) and $HW/commit ($(cat "$HW/commit"))"
}

# A folder name for the adapter: "nvidia / nvidia-h200 / ..." -> nvidia-h200.
adapter_slug() {
  node -e '
    const parts = process.argv[1].split(" / ").map((s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""));
    const vendor = parts[0] || "gpu";
    const name = parts.slice(1).find((p) => p && p !== "software") || "adapter";
    console.log(name.startsWith(vendor) ? name : `${vendor}-${name}`);
  ' "$1"
}

vulkan() {
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
    if compgen -G '.gl/*.deb' >/dev/null; then
      say "unpacking the Vulkan loader from .gl/"
      for f in .gl/*.deb; do dpkg -x "$f" /; done
      ldconfig
    else
      say "no libvulkan and no .gl/*.deb: Dawn may find no adapter"
    fi
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ]; then
    export VK_DRIVER_FILES="$icd"
  fi
}

run() {
  local max=2048 out='' archive='' quick=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --max-size) max="$2"; shift 2 ;;
      --out) out="$2"; shift 2 ;;
      --archive) archive="$2"; shift 2 ;;
      --quick) quick=(--quick); shift ;;
      --) shift; break ;;
      *) die "unknown flag $1 (flags: --max-size N, --out DIR, --archive FILE, --quick, -- BENCH FLAGS)" ;;
    esac
  done
  if [ ! -d node_modules/webgpu ]; then
    [ -f "$HW/runtime.tar.xz" ] || die "no node_modules and no $HW/runtime.tar.xz (run 'pack' where npm ci has run)"
    say "unpacking $HW/runtime.tar.xz"
    xz -dc "$HW/runtime.tar.xz" | tar -x
    export PATH="$PWD/$HW/bin:$PATH"
  fi
  [ -f "$HW/commit" ] && export MLP_BENCH_COMMIT="${MLP_BENCH_COMMIT:-$(cat "$HW/commit")}"
  vulkan
  local work
  work=$(mktemp -d)
  export MLP_CACHE_DIR="$work/cache"
  local cli=(bash scripts/with-vulkan.sh node bin/mlp-playground.js)
  say "1/3 tuning the product kernels ($(node --version))"
  local rc=0
  "${cli[@]}" tune >"$work/tune.jsonl" || rc=$?
  [ "$rc" -eq 0 ] || die "tune failed (exit $rc; 3: no WebGPU adapter)"
  local adapter
  adapter=$(node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").at(-1);
    console.log(JSON.parse(l).adapter)' "$work/tune.jsonl")
  [ -n "$out" ] || out="bench/$(adapter_slug "$adapter")"
  mkdir -p "$out"
  say "adapter: $adapter; report: $out"
  say "2/3 the benchmark (products up to $max)"
  "${cli[@]}" bench --out "$out" --max-size "$max" --engines ours-gpu,ours-gpu-stats,tfjs-webgpu,ours-cpu,tfjs-wasm \
    "${quick[@]}" "$@"
  say "3/3 host cost on Dawn's Null backend"
  "${cli[@]}" bench --host-cost --out "$out" "${quick[@]}" "$@"
  cp "$work/tune.jsonl" "$out/tune.jsonl"
  [ -f "$MLP_CACHE_DIR/tune.json" ] && cp "$MLP_CACHE_DIR/tune.json" "$out/tune.json"
  rm -rf "$work"
  if [ -n "$archive" ]; then
    tar -czf "$archive" -C "$(dirname "$out")" "$(basename "$out")"
    say "wrote $archive"
  fi
  say "done: $out"
}

case "${1:-}" in
  pack) shift; pack "$@" ;;
  run) shift; run "$@" ;;
  *) die "usage: bash scripts/bench-hardware.sh pack | run [--max-size N] [--out DIR] [--archive FILE] [--quick] [-- BENCH FLAGS]" ;;
esac
