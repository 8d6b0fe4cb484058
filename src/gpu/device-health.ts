/**
 * @file What happens to a device while it is in use, in one place: a lost device (a driver reset,
 * the GPU process gone, `destroy()`) and WebGPU errors nobody captured both become an Error with
 * one wording, which every user of the device (the engine, the atlas, the CLI, the page) reports
 * as it is, instead of a read-back that never resolves.
 */

/** Why a device was lost, for a sentence that already says it was ("Device was destroyed"). */
export function lostReason(info: GPUDeviceLostInfo): string {
  return (info.message.trim() || info.reason).replace(/\.$/, '');
}

/** The one message for a lost device. */
function deviceLostMessage(info: GPUDeviceLostInfo): string {
  return `the GPU device was lost (${lostReason(info)})`;
}

/**
 * Watches a device for loss and uncaptured errors from construction to `close`. The first failure
 * is kept (`failure`, `throwIfFailed`) and rejects `failed`, which `watch` races every call
 * against. The device's handlers hold only this watch, never its owner, and `close` removes
 * them, so an engine disposed of is not kept alive by the device that outlives it. Without a
 * device (a CPU run) it never fails.
 */
export class DeviceWatch {
  failure: Error | null = null;
  readonly failed: Promise<never>;
  private reject: (e: Error) => void = () => {};
  private closed = false;
  private readonly onError = (ev: Event): void => {
    // Surfaced through `failure`; unprevented, Dawn would also print it to stdout (the CLI's JSON).
    ev.preventDefault();
    this.fail(new Error(`WebGPU error: ${(ev as GPUUncapturedErrorEvent).error.message.split('\n')[0]}`));
  };

  constructor(private readonly device: GPUDevice | undefined) {
    this.failed = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.failed.catch(() => {});
    if (!device) return;
    void device.lost.then((info) => {
      // A loss explains the failures seen before it (a read-back that could not map): it replaces them.
      if (this.closed) return;
      this.failure = null;
      this.fail(new Error(deviceLostMessage(info)));
    });
    device.addEventListener('uncapturederror', this.onError);
  }

  /** Records a failure found elsewhere (a read-back that could not map); the first one stays. */
  fail(e: Error): void {
    if (this.closed || this.failure) return;
    this.failure = e;
    this.reject(e);
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** `p`, or the device's failure if that comes first. */
  watch<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  /**
   * `work`'s result, or the device's failure, once `work` has ended too: its `finally` blocks
   * (which destroy its buffers) have run before the caller hears of the failure. A lost device
   * ends every pending WebGPU call (read-backs reject, queues drain), so the wait is short.
   */
  async settle<T>(work: Promise<T>): Promise<T> {
    try {
      return await this.watch(work);
    } catch (e) {
      await work.catch(() => {});
      throw e;
    }
  }

  /** From here on a loss is expected (the owner is done, or destroys the device itself). */
  close(): void {
    this.closed = true;
    this.device?.removeEventListener('uncapturederror', this.onError);
  }
}

/**
 * Runs `fn` inside validation and out-of-memory error scopes and rethrows what they caught,
 * naming `what` (a bad dispatch or an allocation the device refuses becomes one clear error).
 */
export async function checked<T>(device: GPUDevice, what: string, fn: () => Promise<T> | T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const pop = async () => {
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    return validation ?? oom;
  };
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    await pop();
    throw e;
  }
  const err = await pop();
  if (err) throw new Error(`${what}: ${err.message}`);
  return result;
}
