/**
 * @file The CLI's commands and the train command's flags (read by src/core/flags.ts, as strict
 * as every command's: errors are `ConfigError`s, reported like a bad config, exit 2).
 */
import { ConfigError, show } from '../core/errors';
import { flagInt, flagOneOf, parseFlags } from '../core/flags';
import type { BackendName } from '../train/engine';

const COMMANDS = ['train'] as const;

export const USAGE = `Usage: mlp-playground train --config FILE [options]
       mlp-playground bench [--quick] [--max-size N] [...]   (bench --help for its options)
       mlp-playground atlas --config FILE [--backend gpu|cpu] [--out FILE] [--png FILE]   (atlas --help for its options)
       mlp-playground theory --activation NAME --weight-variance X [...] | --config FILE   (theory --help)
       mlp-playground tune [--config FILE] [--backend gpu]   (tune --help: times the product kernels on this adapter)

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
interface BenchCommand {
  command: 'bench';
  argv: string[];
}

/** The atlas command parses its own flags (src/cli/atlas.ts), dispatched like bench. */
interface AtlasCommand {
  command: 'atlas';
  argv: string[];
}

/** The theory command parses its own flags (src/cli/theory.ts), dispatched like bench. */
interface TheoryCommand {
  command: 'theory';
  argv: string[];
}

/** The tune command parses its own flags (src/cli/tune.ts), dispatched like bench. */
interface TuneCommand {
  command: 'tune';
  argv: string[];
}

type Args = { command: 'help' } | TrainArgs | BenchCommand | AtlasCommand | TheoryCommand | TuneCommand;

const TRAIN_FLAGS = {
  values: ['--config', '--backend', '--seed', '--epochs', '--log-every', '--save', '--load'],
  switches: ['--progress', '--help'],
};
const BACKENDS: readonly BackendName[] = ['gpu', 'cpu'];

const fail = (message: string) => new ConfigError('', message);

export function parseArgs(argv: readonly string[]): Args {
  if (argv[0] === 'bench') return { command: 'bench', argv: argv.slice(1) };
  if (argv[0] === 'atlas') return { command: 'atlas', argv: argv.slice(1) };
  if (argv[0] === 'theory') return { command: 'theory', argv: argv.slice(1) };
  if (argv[0] === 'tune') return { command: 'tune', argv: argv.slice(1) };
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const [command, ...rest] = argv;
  if (command === undefined) throw fail(`a command is required: ${COMMANDS.join(', ')} (--help for usage)`);
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw fail(`unknown command ${show(command)}; commands: ${COMMANDS.join(', ')}`);
  }
  const { values, switches } = parseFlags(rest, TRAIN_FLAGS);
  const config = values.get('--config');
  if (config === undefined) throw fail('--config is required (a run config JSON file, or - for stdin)');
  const count = (flag: string, min: number) => {
    const raw = values.get(flag);
    return raw === undefined ? undefined : flagInt(flag, raw, min);
  };
  return {
    command: 'train',
    config,
    backend: flagOneOf('--backend', values.get('--backend') ?? 'gpu', BACKENDS),
    seed: count('--seed', 0),
    epochs: count('--epochs', 0),
    logEvery: count('--log-every', 1),
    save: values.get('--save'),
    load: values.get('--load'),
    progress: switches.has('--progress'),
  };
}
