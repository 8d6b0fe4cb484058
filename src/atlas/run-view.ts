/**
 * @file What the atlas's run views (<atlas-view>, <trainable-depth-view>) share: a config editor's
 * text, one run at a time with its status, progress and message (Cancel, or a newer run, drops
 * the older one's late progress and result), and `data-state` on the host (idle | running | done
 * | error) for tests and styling. Each view adds what it runs and how it shows the result.
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { LatestRun, parseEditorConfig, type StartedRun } from './progress';

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

export abstract class RunView extends LitElement {
  static override properties: PropertyDeclarations = {
    device: { attribute: false },
    backend: { type: String },
    text: { state: true },
    status: { state: true },
    progress: { state: true },
    message: { state: true },
  };

  /** A GPUDevice to run on (the page keeps ownership). */
  declare device: GPUDevice | null;
  declare backend: 'gpu' | 'cpu';
  /** The config document in the editor. */
  declare protected text: string;
  declare protected status: RunStatus;
  /** The run's progress, 0 to 1. */
  declare protected progress: number;
  /** The status line: what ran and how long, why it failed, or 'cancelled'. */
  declare protected message: string;
  private readonly runs = new LatestRun();

  constructor() {
    super();
    this.device = null;
    this.backend = 'gpu';
    this.text = '';
    this.status = 'idle';
    this.progress = 0;
    this.message = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancel();
  }

  protected override updated(): void {
    this.dataset.state = this.status;
  }

  /** Stops the run in progress (its result is dropped). */
  cancel(): void {
    this.runs.cancel();
  }

  /**
   * Starts a run of the editor's config as `parse` reads it: the run and the config, the status
   * running; or null, the reason shown as an error, when the text does not parse.
   */
  protected startRun<T>(parse: (doc: unknown) => T): { run: StartedRun; config: T } | null {
    const run = this.runs.start();
    const read = parseEditorConfig(this.text, parse);
    if ('error' in read) {
      this.status = 'error';
      this.message = read.error;
      run.finish();
      return null;
    }
    this.status = 'running';
    this.progress = 0;
    this.message = '';
    return { run, config: read.config };
  }

  /** A progress callback for `run` that only the latest run moves. */
  protected progressOf(run: StartedRun): (done: number, total: number) => void {
    return (done, total) => {
      if (run.current()) this.progress = total ? done / total : 0;
    };
  }

  /** Shows how the latest run ended early: cancelled (the status back to `cancelled`) or failed. */
  protected showFailure(e: Error, cancelled: RunStatus): void {
    const aborted = e.name === 'AbortError';
    this.status = aborted ? cancelled : 'error';
    this.message = aborted ? 'cancelled' : e.message;
  }
}
