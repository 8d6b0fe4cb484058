/**
 * @file Asynchronous read-back of records through a small pool of mappable buffers (as the
 * webgpu-samples' timing read-back does). The encoder copies a record's statistics into a buffer
 * from the pool; after the submit, the buffer is mapped and parsed in the background and handed
 * over in step order. Nothing on the training path waits for it, except when every buffer of the
 * pool is still in flight: then the next record waits for the oldest (bounded memory).
 */

export class ReadbackPool {
  private readonly free: GPUBuffer[] = [];
  private inFlight: Promise<void>[] = [];
  private delivery: Promise<void> = Promise.resolve();

  /**
   * @param make creates one mappable buffer of `bytes`.
   * @param onError receives a failed mapping (a lost device): the caller ends the run with it.
   */
  constructor(
    private readonly make: (bytes: number) => GPUBuffer,
    readonly bytes: number,
    readonly capacity: number,
    private readonly onError: (e: Error) => void,
  ) {}

  /** A buffer for one record; waits only when `capacity` records are in flight. */
  async take(): Promise<GPUBuffer> {
    while (this.free.length === 0 && this.inFlight.length >= this.capacity) await this.inFlight[0];
    return this.free.pop() ?? this.make(this.bytes);
  }

  /** Maps `rb` (already copied into by submitted work) and calls `parse` with its contents, in order. */
  deliver(rb: GPUBuffer, parse: (data: Float32Array) => void): void {
    const mapped = rb.mapAsync(GPUMapMode.READ);
    // Handled below, in order; until then a rejection (the buffer destroyed by dispose, the device
    // lost) must not count as unhandled.
    mapped.catch(() => {});
    const done = this.delivery.then(async () => {
      try {
        await mapped;
      } catch (e) {
        this.onError(new Error(`reading statistics back failed: ${(e as Error).message}`));
        return;
      }
      const data = new Float32Array(rb.getMappedRange().slice(0));
      rb.unmap();
      this.free.push(rb);
      parse(data);
    });
    this.delivery = done;
    this.inFlight.push(done);
    done.then(() => {
      this.inFlight = this.inFlight.filter((p) => p !== done);
    });
  }

  /** Resolves when every record handed to `deliver` so far has been parsed. */
  drain(): Promise<void> {
    return this.delivery;
  }
}
