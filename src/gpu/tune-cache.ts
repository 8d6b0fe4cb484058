/**
 * @file What the tuner measured, kept between runs: one entry per adapter, each valid for one
 * version of the product kernels (PRODUCT_KERNELS_VERSION). Where it is kept is the store's
 * business (a JSON file in Node, localStorage in the page, memory in between); this file only
 * reads and writes the text, and a text it cannot read counts as an empty cache, never an error.
 */

/** What one product shape runs, and how long it took when it was chosen. */
interface ProductChoice {
  variant: string;
  ms: number;
}

/** An adapter's measurements under one kernel version. */
export interface AdapterEntry {
  version: string;
  /** By shapeKey (tuner.ts). */
  products: Record<string, ProductChoice>;
  /** Elements per workgroup of the statistics passes, where measured. */
  statsChunk?: number;
}

interface CacheFile {
  format: 1;
  adapters: Record<string, AdapterEntry>;
}

/** Where the cache lives: a text, read and written whole. */
export interface TuneStore {
  /** Where it is, for messages (a file's path, "localStorage", "memory"). */
  readonly where: string;
  read(): Promise<string | null>;
  write(text: string): Promise<void>;
}

/** A store that forgets when the process ends. */
export function memoryStore(): TuneStore {
  let text: string | null = null;
  return {
    where: 'memory',
    read: async () => text,
    write: async (t) => {
      text = t;
    },
  };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The entries of a cache text; a missing, corrupt or foreign one reads as no entries. */
function parse(text: string | null): Record<string, AdapterEntry> {
  if (!text) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(doc) || doc.format !== 1 || !isRecord(doc.adapters)) return {};
  const out: Record<string, AdapterEntry> = {};
  for (const [key, entry] of Object.entries(doc.adapters)) {
    if (!isRecord(entry) || typeof entry.version !== 'string' || !isRecord(entry.products)) continue;
    const products: Record<string, ProductChoice> = {};
    for (const [shape, c] of Object.entries(entry.products))
      if (isRecord(c) && typeof c.variant === 'string' && typeof c.ms === 'number')
        products[shape] = { variant: c.variant, ms: c.ms };
    const chunk = entry.statsChunk;
    out[key] = {
      version: entry.version,
      products,
      ...(typeof chunk === 'number' && Number.isInteger(chunk) && chunk > 0 ? { statsChunk: chunk } : {}),
    };
  }
  return out;
}

/** The adapter's entry under `version`, or an empty one (none kept, or kept for another version). */
export async function loadEntry(store: TuneStore, adapter: string, version: string): Promise<AdapterEntry> {
  let text: string | null = null;
  try {
    text = await store.read();
  } catch {
    // An unreadable cache is an empty one: the tuner measures again.
  }
  const entry = parse(text)[adapter];
  return entry?.version === version ? entry : { version, products: {} };
}

/**
 * Writes the adapter's entry, keeping the other adapters' (read again just before, since
 * another process may have written since this one read). A failed write is reported through
 * the returned error, not thrown: the measurements still serve this run.
 */
export async function saveEntry(store: TuneStore, adapter: string, entry: AdapterEntry): Promise<Error | null> {
  try {
    const adapters = parse(await store.read().catch(() => null));
    adapters[adapter] = entry;
    const file: CacheFile = { format: 1, adapters };
    await store.write(`${JSON.stringify(file, null, 1)}\n`);
    return null;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
