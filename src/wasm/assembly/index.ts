// The module's exports. Memory is imported (shared between threads where the host allows it);
// nothing here allocates: every buffer is laid out by the engine from `heapBase` up.
export { CEILING_FLOPS_PER_ITER, ceiling, ceilingChunk } from './ceiling';
export { activate, elementChunks, optimize, softmaxRows } from './elementwise';
export { GEMM_SCRATCH, gemm, gemmChunks } from './gemm';
export { KIND_DELTA_NORM, KIND_NORM, reduceSlots, SLOT_TASK, STATS_LAYOUT_BYTES } from './stats';

export function heapBase(): usize {
  return __heap_base;
}
