/**
 * @file The GPU device for tests: one per test file (Vitest runs files in separate processes).
 * Where no adapter exists the GPU tests skip locally, but fail when CI=true or
 * MLP_REQUIRE_GPU=1: CI must prove the GPU path, not silently skip it.
 */
import { type AcquiredDevice, acquireNodeDevice } from '../src/gpu/node-device';

let acquired: Promise<AcquiredDevice | null> | null = null;

export const gpuRequired = process.env.CI === 'true' || process.env.MLP_REQUIRE_GPU === '1';

export function testDevice(): Promise<AcquiredDevice | null> {
  acquired ??= acquireNodeDevice()
    .catch(() => null)
    .then((d) => {
      if (!d && gpuRequired) {
        throw new Error(
          'no WebGPU adapter: CI requires the GPU tests to run (install mesa-vulkan-drivers >= 25 or chromium, see scripts/setup-system.sh)',
        );
      }
      return d;
    });
  return acquired;
}

/**
 * Whether the device is a software adapter (WebGPU's `isFallbackAdapter`: lavapipe and
 * SwiftShader), for tests whose tolerance depends on it: a software adapter evaluates float32
 * recipes exactly, a hardware GPU may fuse a multiply and an add.
 */
export function isSoftwareAdapter(device: GPUDevice): boolean {
  return (
    (device as GPUDevice & { adapterInfo?: { isFallbackAdapter?: boolean } }).adapterInfo?.isFallbackAdapter === true
  );
}
