/**
 * @file The GPU for CLI commands: acquiring it (or telling the user how to get one: exit 3), and
 * guarding it, so that a lost device or an uncaptured WebGPU error ends the command with a
 * message instead of leaving a pending read-back hanging.
 */

export const EXIT_NO_ADAPTER = 3;

export const NO_ADAPTER_HELP =
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

/** Turns a lost device or an uncaptured WebGPU error into a rejection every call is raced against. */
export class DeviceGuard {
  private closing = false;
  private fail: (e: Error) => void = () => {};
  readonly failed: Promise<never>;

  constructor(device: GPUDevice | undefined) {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => {});
    if (!device) return;
    void device.lost.then((info) => {
      if (!this.closing) this.fail(new Error(`the WebGPU device was lost (${info.reason}): ${info.message}`));
    });
    device.addEventListener('uncapturederror', (ev) => {
      // Dawn prints uncancelled uncaptured errors to stdout, which would corrupt the JSON output.
      ev.preventDefault();
      this.fail(new Error(`WebGPU error: ${ev.error.message.split('\n')[0]}`));
    });
  }

  watch<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  /** From here on a lost device is expected (the command is destroying it). */
  close(): void {
    this.closing = true;
  }
}
