/**
 * @file The GPU for CLI commands: acquiring it, or telling the user how to get one (exit 3). The
 * commands watch it with the engine's DeviceWatch (src/gpu/device-health.ts), so a lost device
 * or an uncaptured WebGPU error ends a command with a message instead of a hanging read-back.
 */

export const EXIT_NO_ADAPTER = 3;

const NO_ADAPTER_HELP =
  "install a Vulkan driver (e.g. Mesa's lavapipe, from the mesa-vulkan-drivers package) " +
  "or point VK_ICD_FILENAMES at a driver's ICD JSON file, or train with --backend cpu";

/** A WebGPU device, or null after telling the user how to get one. */
export async function acquireCliDevice(): Promise<{ device: GPUDevice; adapter: string } | null> {
  let why = '';
  try {
    const { acquireNodeDevice } = await import('../gpu/node-device');
    const got = await acquireNodeDevice();
    if (got) return got;
  } catch (e) {
    why = ` (${e instanceof Error ? e.message : String(e)})`;
  }
  process.stderr.write(`error: no WebGPU adapter found${why}; ${NO_ADAPTER_HELP}\n`);
  return null;
}
