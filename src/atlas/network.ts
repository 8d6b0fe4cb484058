/**
 * @file The shape of one population network and the canonical order of its parameters, shared
 * by the CPU trainer, the generated WGSL, the exports and the SOM: layer by layer, the kernel
 * (row-major, fanIn × units, as the engine stores it) then the bias.
 */
import { ACTIVATION_ID } from '../core/ids';
import type { LayerConfig } from '../core/types';
import type { AxisSpec, NetShape } from './types';

export function netShape(inputDim: number, layers: readonly LayerConfig[]): NetShape {
  let fanIn = inputDim,
    offset = 0;
  const out = layers.map((l) => {
    const kernelOffset = offset;
    const biasOffset = offset + fanIn * l.units;
    offset = biasOffset + l.units;
    const s = {
      fanIn,
      units: l.units,
      act: l.activation,
      actId: ACTIVATION_ID[l.activation.name],
      kernelOffset,
      biasOffset,
    };
    fanIn = l.units;
    return s;
  });
  return { inputDim, layers: out, params: offset };
}

/** Index of an axis' weight in the parameter vector. */
export function paramIndex(shape: NetShape, axis: Pick<AxisSpec, 'layer' | 'row' | 'col' | 'bias'>): number {
  const L = shape.layers[axis.layer];
  return axis.bias !== undefined ? L.biasOffset + axis.bias : L.kernelOffset + axis.row! * L.units + axis.col!;
}

/** A readable name for parameter p: `W0[1,0]` (layer 0, input 1, unit 0) or `b1[0]`. */
export function paramName(shape: NetShape, p: number): string {
  for (let l = 0; l < shape.layers.length; l++) {
    const L = shape.layers[l];
    if (p >= L.kernelOffset && p < L.biasOffset) {
      const e = p - L.kernelOffset;
      return `W${l}[${Math.floor(e / L.units)},${e % L.units}]`;
    }
    if (p >= L.biasOffset && p < L.biasOffset + L.units) return `b${l}[${p - L.biasOffset}]`;
  }
  throw new RangeError(`paramName: no parameter ${p} in a network of ${shape.params}`);
}

/** Network n's parameters out of a parameter-major array of `networks` networks. */
export function networkParams(soa: Float32Array, networks: number, params: number, n: number): Float32Array {
  const out = new Float32Array(params);
  for (let p = 0; p < params; p++) out[p] = soa[p * networks + n];
  return out;
}
