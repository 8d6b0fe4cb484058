/**
 * @file Typed events the views send up. Most actions go straight to the store; these are for
 * small reusable fields whose parent decides what the value means (which layer, which field).
 */
import type { Initializer } from '../core/types';

/** An initializer field produced a valid initializer. */
export class InitializerChangeEvent extends Event {
  static readonly type = 'initializer-change';
  constructor(readonly initializer: Initializer) {
    super(InitializerChangeEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'initializer-change': InitializerChangeEvent;
  }
}
