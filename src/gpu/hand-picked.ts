/**
 * @file The product variants chosen by hand, per kind of adapter: the workgroup-tiled kernel on
 * a hardware GPU; on a software adapter (WebGPU's `isFallbackAdapter`), whose invocations are a
 * CPU's SIMD lanes, the register and subgroup kernels, reading X transposed from a block of
 * rows and 256³ multiply-adds on, and dX on a transposed W from 16 rows on (bench/REPORT.md).
 */
import type { MatmulForm, ProductChoices } from './products';
import { subgroupSizeOf } from './products';

export function handPicked(device: GPUDevice): ProductChoices {
  const software =
    (device as GPUDevice & { adapterInfo?: { isFallbackAdapter?: boolean } }).adapterInfo?.isFallbackAdapter === true;
  const sg = software ? subgroupSizeOf(device) : null;
  return {
    variantFor(form: MatmulForm, M: number, N: number, K: number): string {
      if (!software) return 'tiled-64x64-4x4';
      const viaXt = sg !== null && M >= 32 && M * N * K >= 256 ** 3;
      if (form === 'dW') return sg && N % 4 === 0 ? 'sg' : 'vec4';
      if (N % 4 === 0 && viaXt) return 'sg-t';
      if (form === 'forward' || (N % 4 === 0 && M >= 16)) return sg ? 'sg' : 'vec4';
      return 'vec4-nt';
    },
  };
}
