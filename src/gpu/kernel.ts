/**
 * @file Kernel descriptors and the pipeline cache.
 *
 * A kernel is described by one object: its WGSL (from shaders/), the shared pieces it needs, the
 * compile-time constants that specialize it (workgroup size, activation id, transpose flags ...),
 * its uniform fields and its storage bindings. From that one description this file generates the
 * WGSL prelude (constants and the `Params` struct), the bind group layout and the uniform
 * packing, so no layout is ever written twice by hand. Pipelines are compiled asynchronously and
 * cached by name and constants; WGSL errors come back with the kernel's name and line numbers.
 */
import stepWgsl from '../../shaders/step.wgsl?raw';
import { SELU_ALPHA, SELU_SCALE, TANH_CLAMP } from '../core/activations';
import { wgslIdConstants } from '../core/ids';
import { EPSILON } from '../core/losses';
import { HIST_BINS, SAT_THRESHOLDS, SLOT } from '../core/stats';

type Binding = 'read' | 'rw' | 'uniform';

/** A range of a buffer: what a binding, a copy or a write addresses (offsets 256-byte aligned). */
export interface Slice {
  buffer: GPUBuffer;
  offset: number;
  size: number;
}

export function sliceOf(b: GPUBuffer | Slice): Slice {
  return 'buffer' in b ? b : { buffer: b, offset: 0, size: b.size };
}

/**
 * A tensor's buffer or slice size: whole vec4s (the statistics kernels read tensors as vec4s,
 * shaders/stats_read.wgsl), at least one.
 */
export function vec4Bytes(bytes: number): number {
  return Math.max(16, Math.ceil(bytes / 16) * 16);
}
type ScalarType = 'u32' | 'f32';

export interface KernelDesc {
  /** Names the kernel in errors and in the cache key. */
  name: string;
  source: string;
  /** Shared WGSL pieces prepended in order (rng, activations ...). */
  includes?: string[];
  /** WGSL extensions the kernel needs (`enable` directives, which must open the module). */
  enables?: string[];
  /** Injected as `const NAME: type = value;`. Part of the cache key. */
  constants?: Record<string, [ScalarType, number]>;
  /** Fields of the `Params` uniform struct (all 4-byte scalars), bound at binding 0. */
  uniforms?: Record<string, ScalarType>;
  /** Storage bindings 1..n, in order. */
  bindings: Binding[];
}

/** The default 1-D workgroup size, injected into every elementwise kernel as WG. */
const WG = 256;
/** Workgroups per dimension allowed by every WebGPU device (maxComputeWorkgroupsPerDimension). */
const MAX_GROUPS = 65535;

/**
 * Numbers both the TypeScript reference and the WGSL use, defined once in src/core and injected
 * into every kernel's prelude, never written in WGSL by hand: the ids of src/core/ids.ts
 * (`ACT_RELU`, `LOSS_MSE`, `OPT_ADAM`, ...), the statistics slot's layout (`SLOT_MEAN`, ...,
 * `HIST_BINS`), and the formulas' constants.
 */
const SHARED_U32: [string, number][] = [
  ...wgslIdConstants(),
  ...Object.entries(SLOT).map(([name, offset]): [string, number] => [`SLOT_${name.toUpperCase()}`, offset]),
  ['HIST_BINS', HIST_BINS],
];
const SHARED_F32: Record<string, number> = {
  SELU_ALPHA,
  SELU_SCALE,
  TANH_CLAMP,
  LOSS_EPSILON: EPSILON,
  SATURATION_LIMIT_TANH: SAT_THRESHOLDS.tanh,
  SATURATION_LIMIT_SIGMOID_LOW: SAT_THRESHOLDS.sigmoidLow,
  SATURATION_LIMIT_SOFTSIGN: SAT_THRESHOLDS.softsign,
};

const COMMON = `${SHARED_U32.map(([name, v]) => `const ${name}: u32 = ${v}u;`).join('\n')}
${Object.entries(SHARED_F32)
  .map(([name, v]) => `const ${name}: f32 = ${floatLiteral(v)};`)
  .join('\n')}
${stepWgsl}
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * WG; }
`;

/** A WGSL float literal that round-trips the number (String() keeps every digit needed). */
function floatLiteral(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function literal(type: ScalarType, v: number): string {
  if (type === 'u32') {
    if (!Number.isInteger(v) || v < 0) throw new Error(`kernel constant must be a u32, got ${v}`);
    return `${v}u`;
  }
  return floatLiteral(v);
}

/** The full WGSL of a kernel: constants, uniform struct, shared pieces, body. */
function assemble(desc: KernelDesc): string {
  const consts = { WG: ['u32', WG] as [ScalarType, number], ...desc.constants };
  const lines = Object.entries(consts).map(([k, [t, v]]) => `const ${k}: ${t} = ${literal(t, v)};`);
  const fields = Object.entries(desc.uniforms ?? {});
  if (fields.length) {
    lines.push(`struct Params {\n${fields.map(([k, t]) => `  ${k}: ${t},`).join('\n')}\n}`);
    lines.push('@group(0) @binding(0) var<uniform> P: Params;');
  }
  const enables = (desc.enables ?? []).map((e) => `enable ${e};`);
  return [...enables, lines.join('\n'), COMMON, ...(desc.includes ?? []), desc.source].join('\n');
}

/**
 * Optional features the engine uses where the adapter has them: subgroups (the subgroup product
 * variants) and timestamp queries (the tuner's clock, trial-timer.ts).
 */
export function wantedFeatures(adapter: GPUAdapter): GPUFeatureName[] {
  return (['subgroups', 'timestamp-query'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
}

/** What the pipeline cache knows a kernel by: its name and constants. */
export function cacheKey(desc: KernelDesc): string {
  return `${desc.name}|${JSON.stringify(desc.constants ?? {})}`;
}

export interface Kernel {
  desc: KernelDesc;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

/** Compiles and caches pipelines for one device. */
export class PipelineCache {
  private readonly pending = new Map<string, Promise<Kernel>>();
  /**
   * `writableLayouts`: declare every storage binding writable in the layouts. WebGPU forbids a
   * buffer bound read-only and writable in one dispatch, even at disjoint ranges; tensors that
   * share an arena buffer therefore all bind as writable storage (which may alias).
   */
  constructor(
    readonly device: GPUDevice,
    readonly writableLayouts = false,
  ) {}

  private static readonly shared = new WeakMap<GPUDevice, [PipelineCache, PipelineCache]>();

  /** The cache shared by everything on `device` (engines come and go; compiled pipelines stay). */
  static for(device: GPUDevice, writableLayouts = false): PipelineCache {
    let pair = PipelineCache.shared.get(device);
    if (!pair) {
      pair = [new PipelineCache(device, false), new PipelineCache(device, true)];
      PipelineCache.shared.set(device, pair);
    }
    return pair[writableLayouts ? 1 : 0];
  }

  get(desc: KernelDesc): Promise<Kernel> {
    const key = cacheKey(desc);
    let p = this.pending.get(key);
    if (!p) {
      p = this.compile(desc);
      this.pending.set(key, p);
    }
    return p;
  }

  private async compile(desc: KernelDesc): Promise<Kernel> {
    // Shader access must match the layout, so writable layouts get writable declarations too.
    const code = this.writableLayouts
      ? assemble(desc).replaceAll('var<storage, read>', 'var<storage, read_write>')
      : assemble(desc);
    const device = this.device;
    const module = device.createShaderModule({ label: desc.name, code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length) throw new Error(formatCompileErrors(desc.name, code, errors));
    const entries: GPUBindGroupLayoutEntry[] = [];
    if (desc.uniforms && Object.keys(desc.uniforms).length) {
      entries.push({ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
    }
    desc.bindings.forEach((b, i) => {
      entries.push({
        binding: i + 1,
        visibility: GPUShaderStage.COMPUTE,
        buffer: {
          type: b === 'uniform' ? 'uniform' : b === 'read' && !this.writableLayouts ? 'read-only-storage' : 'storage',
        },
      });
    });
    const layout = device.createBindGroupLayout({ label: desc.name, entries });
    device.pushErrorScope('validation');
    const pipeline = await device.createComputePipelineAsync({
      label: desc.name,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const err = await device.popErrorScope();
    if (err) throw new Error(`kernel ${desc.name}: ${err.message}`);
    return { desc, pipeline, layout };
  }
}

/** `name:line:col: message` and the offending line, for every error. */
function formatCompileErrors(name: string, code: string, msgs: readonly GPUCompilationMessage[]): string {
  const lines = code.split('\n');
  return (
    `WGSL compile error in kernel ${name}:\n` +
    msgs.map((m) => `  ${name}:${m.lineNum}:${m.linePos}: ${m.message}\n    ${lines[m.lineNum - 1] ?? ''}`).join('\n')
  );
}

/** Packs uniform values in the order the struct declares them; 16-byte aligned size. */
function packUniforms(desc: KernelDesc, values: Record<string, number>): ArrayBuffer {
  const fields = Object.entries(desc.uniforms ?? {});
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((fields.length * 4) / 16) * 16));
  const u = new Uint32Array(buf),
    f = new Float32Array(buf);
  fields.forEach(([k, t], i) => {
    const v = values[k];
    if (v === undefined) throw new Error(`kernel ${desc.name}: missing uniform ${k}`);
    if (t === 'u32') u[i] = v;
    else f[i] = v;
  });
  for (const k of Object.keys(values)) {
    if (!(k in (desc.uniforms ?? {}))) throw new Error(`kernel ${desc.name}: unknown uniform ${k}`);
  }
  return buf;
}

/** Workgroup counts for `n` invocations of a 1-D kernel, folded into 2-D beyond the per-dimension limit. */
export function groups1d(n: number, wg = WG): [number, number] {
  const g = Math.max(1, Math.ceil(n / wg));
  if (g <= MAX_GROUPS) return [g, 1];
  const y = Math.ceil(g / MAX_GROUPS);
  return [Math.ceil(g / y), y];
}

/** A kernel bound once to its buffers: what the step encoder dispatches. */
export interface BoundKernel {
  kernel: Kernel;
  bindGroup: GPUBindGroup;
  groups: [number, number, number];
  /** The uniform buffer this binding created, if any: the owner destroys it with its other buffers. */
  params: GPUBuffer | null;
}

export function bind(
  device: GPUDevice,
  kernel: Kernel,
  buffers: (GPUBuffer | Slice)[],
  groups: [number, number, number],
  uniforms?: Record<string, number>,
): BoundKernel {
  const entries: GPUBindGroupEntry[] = [];
  let ub: GPUBuffer | null = null;
  if (kernel.desc.uniforms && Object.keys(kernel.desc.uniforms).length) {
    const data = packUniforms(kernel.desc, uniforms ?? {});
    ub = device.createBuffer({
      label: `${kernel.desc.name}.params`,
      size: data.byteLength,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(ub, 0, data);
    entries.push({ binding: 0, resource: { buffer: ub } });
  }
  if (buffers.length !== kernel.desc.bindings.length) {
    throw new Error(
      `kernel ${kernel.desc.name}: expected ${kernel.desc.bindings.length} buffers, got ${buffers.length}`,
    );
  }
  buffers.forEach((b, i) => {
    const s = sliceOf(b);
    entries.push({ binding: i + 1, resource: { buffer: s.buffer, offset: s.offset, size: s.size } });
  });
  return {
    kernel,
    groups,
    params: ub,
    bindGroup: device.createBindGroup({ label: kernel.desc.name, layout: kernel.layout, entries }),
  };
}

export function dispatch(pass: GPUComputePassEncoder, k: BoundKernel): void {
  pass.setPipeline(k.kernel.pipeline);
  pass.setBindGroup(0, k.bindGroup);
  pass.dispatchWorkgroups(k.groups[0], k.groups[1], k.groups[2]);
}

/** queue.writeBuffer for any typed array (TypeScript's typed-array generics reject ArrayBufferLike views). */
export function writeArray(
  device: GPUDevice,
  buf: GPUBuffer | Slice,
  data: Float32Array | Uint32Array,
  offset = 0,
): void {
  const s = sliceOf(buf);
  device.queue.writeBuffer(s.buffer, s.offset + offset, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}
