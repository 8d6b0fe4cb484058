/**
 * @file The page's entry: reads the URL into the store's state, wires the browser's pieces into
 * the store (WebGPU device, CPU engine in a Web Worker, MNIST over fetch), mounts the app, and
 * keeps the URL hash in step with the state so the address is always a link to the experiment.
 */
import { runColor } from './charts/palette';
import { createEngine } from './engines/create';
import { acquireBrowserDevice } from './gpu/browser-device';
import { initLabel } from './ui/initializer-spec';
import { PlaygroundStore } from './ui/state/store';
import { WorkerEngine } from './ui/state/worker-engine';
import './ui/playground-app';
import { decodeUrl, encodeHash } from './ui/url-state';

const { state, errors } = decodeUrl(location.hash, location.search);

const store = new PlaygroundStore(state, {
  acquireDevice: acquireBrowserDevice,
  createEngine: (cfg, data, opts) =>
    opts.backend === 'cpu' ? WorkerEngine.create(cfg, data) : createEngine(cfg, data, opts),
  loadMnist: async () => {
    const r = await fetch(`${import.meta.env.BASE_URL}data/mnist.bin`);
    if (!r.ok) throw new Error(`could not load the MNIST digits (HTTP ${r.status}); run \`npm run data\``);
    return r.arrayBuffer();
  },
  now: () => performance.now(),
  label: initLabel,
  color: runColor,
});

/** The hash last written, so our own writes are not read back as navigation. */
let written = encodeHash(store.state);
history.replaceState(null, '', `${location.pathname}${written}`);
let version = store.stateVersion;
store.subscribe(() => {
  if (store.stateVersion === version) return;
  version = store.stateVersion;
  written = encodeHash(store.state);
  history.replaceState(null, '', `${location.pathname}${written}`);
});

// A hash edited by hand (or back/forward) is a new experiment.
window.addEventListener('hashchange', () => {
  if (location.hash === written) return;
  const next = decodeUrl(location.hash);
  store.urlErrors = next.errors;
  written = location.hash;
  void store.setState({ ...next.state });
  if (next.state.run) void store.play();
});

const app = document.createElement('playground-app');
app.store = store;
document.body.append(app);

/** For the console and the browser tests: the store (e.g. `playground.runs[0].history`). */
(globalThis as unknown as { playground: PlaygroundStore }).playground = store;

void store.start(errors);
