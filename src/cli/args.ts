/**
 * @file The CLI's flag parser. Strict on purpose: a mistyped flag or value in a script should
 * stop the run with one line naming the flag, not silently train something else for an hour.
 * Errors are `ConfigError`s so the CLI reports them exactly like a bad config (exit 2).
 */
import { ConfigError, show } from '../core/errors';
import type { BackendName } from '../train/engine';

export const COMMANDS = ['train'] as const;

export const USAGE = `Usage: mlp-playground train --config FILE [options]
       mlp-playground bench [--quick] [--max-size N] [...]   (bench --help for its options)
       mlp-playground atlas --config FILE [--backend gpu|cpu] [--out FILE] [--png FILE]   (atlas --help for its options)

Trains the MLP described by a run config and prints JSON Lines to stdout: the step-0 record,
one record per logged step, then a {"done": true, ...} summary.

Options:
  --config FILE     run config (JSON); - reads it from stdin
  --backend NAME    gpu (WebGPU through Dawn, the default) or cpu (the TypeScript reference)
  --seed N          overrides the config's seed
  --epochs N        overrides the config's epochs (0: only the step-0 record)
  --log-every N     overrides the config's log_every
  --save FILE       writes the weights after training
  --load FILE       starts from a weights file written by --save instead of the initializers
  --progress        reports progress on stderr (the default when stderr is a terminal)
  --help            prints this help

Exit codes: 0 success, 1 internal error, 2 invalid input, 3 no WebGPU adapter.
`;

export interface TrainArgs {
  command: 'train';
  config: string;
  backend: BackendName;
  seed?: number;
  epochs?: number;
  logEvery?: number;
  save?: string;
  load?: string;
  progress: boolean;
}

/** The bench command parses its own flags (src/bench/args.ts), so it is dispatched before COMMANDS. */
export interface BenchCommand {
  command: 'bench';
  argv: string[];
}

/** The atlas command parses its own flags (src/cli/atlas.ts), dispatched like bench. */
export interface AtlasCommand {
  command: 'atlas';
  argv: string[];
}

export type Args = { command: 'help' } | TrainArgs | BenchCommand | AtlasCommand;

/** Flags taking a value, and the smallest integer the numeric ones accept. */
const VALUE_FLAGS = ['--config', '--backend', '--seed', '--epochs', '--log-every', '--save', '--load'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const INT_MIN: Partial<Record<ValueFlag, number>> = { '--seed': 0, '--epochs': 0, '--log-every': 1 };
const BOOL_FLAGS = ['--progress', '--help'] as const;
const BACKENDS: readonly BackendName[] = ['gpu', 'cpu'];

const fail = (message: string) => new ConfigError('', message);

function integer(flag: ValueFlag, raw: string, min: number): number {
  const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min) {
    throw fail(`${flag} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got ${show(raw)}`);
  }
  return v;
}

export function parseArgs(argv: readonly string[]): Args {
  if (argv[0] === 'bench') return { command: 'bench', argv: argv.slice(1) };
  if (argv[0] === 'atlas') return { command: 'atlas', argv: argv.slice(1) };
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const [command, ...rest] = argv;
  if (command === undefined) throw fail(`a command is required: ${COMMANDS.join(', ')} (--help for usage)`);
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw fail(`unknown command ${show(command)}; commands: ${COMMANDS.join(', ')}`);
  }
  const values = new Map<ValueFlag, string>();
  let progress = false;
  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i];
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const flag = eq > 0 ? tok.slice(0, eq) : tok;
    if (flag === '--progress') {
      if (eq > 0) throw fail(`${flag} takes no value, got ${show(tok.slice(eq + 1))}`);
      progress = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      const what = tok.startsWith('-') ? `unknown flag ${show(flag)}` : `unexpected argument ${show(tok)}`;
      throw fail(`${what}; flags: ${[...VALUE_FLAGS, ...BOOL_FLAGS].join(', ')}`);
    }
    const f = flag as ValueFlag;
    // `-1` and `-` are values (a bad number, stdin); `--x` after a flag means its value is missing.
    const value = eq > 0 ? tok.slice(eq + 1) : rest[i + 1];
    if (value === undefined || (eq < 0 && value.startsWith('--')) || value === '') {
      throw fail(`${f} needs a value`);
    }
    if (eq < 0) i++;
    if (values.has(f)) throw fail(`${f} is given twice`);
    values.set(f, value);
  }
  const config = values.get('--config');
  if (config === undefined) throw fail('--config is required (a run config JSON file, or - for stdin)');
  const backend = values.get('--backend') ?? 'gpu';
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw fail(`--backend must be ${BACKENDS.join(' or ')}, got ${show(backend)}`);
  }
  const num = (f: ValueFlag) => {
    const raw = values.get(f);
    return raw === undefined ? undefined : integer(f, raw, INT_MIN[f] ?? 0);
  };
  return {
    command: 'train',
    config,
    backend: backend as BackendName,
    seed: num('--seed'),
    epochs: num('--epochs'),
    logEvery: num('--log-every'),
    save: values.get('--save'),
    load: values.get('--load'),
    progress,
  };
}
