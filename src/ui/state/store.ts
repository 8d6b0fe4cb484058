/**
 * @file The playground's one store: plain TypeScript, no DOM. It owns the page state (the run
 * config and the few settings the URL carries), the engines (one run, or one per compared
 * initializer), their histories, and the training loop; views read its fields and call its
 * actions, and a Lit ReactiveController re-renders them when it emits. Its parts, each building
 * on the one before: store-base.ts (the state, the queue, a record's side work), store-build.ts
 * (the device and the build), store-training.ts (the loop); this file takes the page's edits
 * (config, lesson, CSV, seed) and its weight files.
 */
import { configToJSON, parseConfig } from '../../core/config';
import { csvDatasetConfig } from '../../core/datasets/csv';
import { ConfigError } from '../../core/errors';
import type { Dataset, RunConfig } from '../../core/types';
import type { EngineOptions } from '../../engines/create';
import type { Engine } from '../../train/engine';
import { layerShapes } from '../../train/model';
import { decodeWeights, encodeWeights, type WeightsDocument } from '../../train/weights-file';
import { isLessonConfig } from '../presets';
import { TrainingStore } from './store-training';
import type { CsvSource, PageState } from './types';

export class PlaygroundStore extends TrainingStore {
  /** Builds an engine the way the page builds its own (the CPU one in a worker), for the Benchmark page's race. */
  createEngine(cfg: RunConfig, data: Dataset, opts: EngineOptions): Promise<Engine> {
    return this.deps.createEngine(cfg, data, opts);
  }

  // ---- state changes ----

  /** Replaces parts of the page state; anything that changes the runs rebuilds them. */
  setState(patch: Partial<PageState>): Promise<void> {
    const before = this.state;
    this.state = { ...before, ...patch, run: false };
    if (patch.lesson !== undefined) this.editedLesson = null;
    else if (patch.config && before.lesson && !isLessonConfig(before.lesson, patch.config)) {
      this.state.lesson = null;
      this.editedLesson = before.lesson;
    }
    this.stateVersion++;
    this.editError = null;
    if (patch.config && this.csv && !this.csvStillApplies(patch.config)) this.csv = null;
    const rebuild =
      patch.config !== undefined ||
      (patch.backend !== undefined && patch.backend !== before.backend) ||
      (patch.mode !== undefined && patch.mode !== before.mode) ||
      (patch.compare !== undefined && this.state.mode === 'compare');
    if (patch.target !== undefined) this.recountTargets();
    this.emit();
    return rebuild ? this.rebuildSoon() : Promise.resolve();
  }

  /** Parses a config document; a ConfigError becomes `editError` (the field named) and changes nothing. */
  setConfigDoc(doc: unknown): Promise<void> {
    const cfg = this.parseEdit(doc);
    return cfg ? this.setState({ config: cfg }) : Promise.resolve();
  }

  /** The current config as a document of the schema (what editors start from). */
  configDoc(): Record<string, unknown> {
    return configToJSON(this.state.config);
  }

  newSeed(): Promise<void> {
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000;
    return this.setState({ config: { ...this.state.config, seed } });
  }

  /** Uses a parsed CSV as the dataset; the config's dataset becomes a `random` of the same shape. */
  useCsv(source: CsvSource, testFraction = 0.2): Promise<void> {
    const doc = this.configDoc() as Record<string, unknown> & { layers: { units: number; activation: unknown }[] };
    doc.dataset = csvDatasetConfig(source.data, source.data.n >= 10 ? testFraction : 0);
    const out = doc.layers[doc.layers.length - 1];
    if (source.data.classes > 2) {
      out.units = source.data.classes;
      out.activation = 'softmax';
      doc.loss = 'categorical_crossentropy';
    } else if (out.units !== 1 && out.units !== 2) {
      out.units = 1;
      out.activation = 'sigmoid';
      doc.loss = 'binary_crossentropy';
    }
    const cfg = this.parseEdit(doc);
    if (!cfg) return Promise.resolve();
    this.csv = source;
    return this.setState({ config: cfg, lesson: null });
  }

  /** `doc` parsed, or null with its ConfigError shown as `editError` (the field named). */
  private parseEdit(doc: unknown): RunConfig | null {
    try {
      return parseConfig(doc);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.editError = e.message;
      this.emit();
      return null;
    }
  }

  private csvStillApplies(cfg: RunConfig): boolean {
    const d = cfg.dataset,
      c = this.csv!.data;
    return d.name === 'random' && d.samples === c.n && d.dim === c.inputDim && d.classes === c.classes;
  }

  // ---- files ----

  /** Loads weights (the engine's file format) into every run: shapes must match the config. */
  /** Throws a ConfigError naming the field when the file does not fit the configured network. */
  loadWeights(doc: unknown): Promise<void> {
    const w = decodeWeights(doc, layerShapes(this.state.config));
    if (!this.runs.every((r) => r.engine)) throw new Error('the network is not built yet; wait until it is ready');
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      const gen = this.gen;
      const firsts = await Promise.all(this.runs.map((r) => r.engine!.init(w)));
      if (gen !== this.gen) return;
      this.runs.forEach((r, i) => {
        r.history.clear();
        r.stepsToTarget = null;
        this.push(r, firsts[i]);
      });
      await this.observe(gen);
      this.phase = 'paused';
      this.notice = 'Weights loaded: training continues from them.';
      this.emit();
    });
  }

  /** The shown run's current weights as the engine's weights document. */
  async saveWeights(): Promise<WeightsDocument> {
    const run = this.lead;
    if (!run?.engine) throw new Error('the network is not built yet');
    return encodeWeights(run.cfg, await run.engine.weights());
  }
}
