/**
 * @file A message about one thing the user put in (a refused file, a bad paste, a saved export),
 * stamped with the page state it was about: it is shown while the state stays as it was, and
 * drops once the state moves on, so an error never outlives its cause (a refused Keras model
 * still flagged after a CSV file has built another network).
 */
import type { PlaygroundStore } from './state/store';

export interface InputMessage {
  text: string;
  /** The store's stateVersion when the message was given. */
  version: number;
}

/** A message about the store's current state. */
export function inputMessage(text: string, store: PlaygroundStore): InputMessage {
  return { text, version: store.stateVersion };
}

/** The message's text while the state is still the one it was about, else null. */
export function current(message: InputMessage | null, store: PlaygroundStore): string | null {
  return message && message.version === store.stateVersion ? message.text : null;
}
