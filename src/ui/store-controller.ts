/**
 * @file Connects a Lit element to the store: subscribes while connected and asks for an update
 * when the slice of the store the element shows has changed. The slice is a list of values
 * compared one by one, so a 50-row layer editor does not re-render for every training record.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlaygroundStore } from './state/store';

export class StoreController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;
  private last: readonly unknown[] = [];

  /**
   * `getStore` is read on connect (views receive the store as a property); `select` picks the
   * values the view renders from, or everything when omitted.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getStore: () => PlaygroundStore | undefined,
    private readonly select?: (s: PlaygroundStore) => readonly unknown[],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const store = this.getStore();
    if (!store) return;
    this.unsubscribe = store.subscribe(() => this.changed(store));
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private changed(store: PlaygroundStore): void {
    if (this.select) {
      const now = this.select(store);
      if (now.length === this.last.length && now.every((v, i) => Object.is(v, this.last[i]))) return;
      this.last = now;
    }
    this.host.requestUpdate();
  }
}
