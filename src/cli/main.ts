/**
 * @file The CLI's entry point (run by bin/mlp-playground.js through Vite). It owns the exit-code
 * contract: 0 success, 1 internal error, 2 invalid input, 3 no WebGPU adapter. Bad input is one
 * `error:` line with no stack, since it is the user's to fix, not ours to debug; a stack is
 * shown for internal errors only when MLP_DEBUG is set.
 */
import { ConfigError } from '../core/errors';
import { parseArgs, USAGE } from './args';
import { train } from './train';

const EXIT_INTERNAL = 1;
const EXIT_INPUT = 2;

/** Resolves once everything written so far has left the process (pipes are async off Linux). */
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((res) => {
    if (stream.destroyed || stream.writableEnded) return res();
    stream.write('', () => res());
  });
}

export async function main(argv: string[]): Promise<number> {
  let code: number;
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      process.stdout.write(USAGE);
      code = 0;
    } else if (args.command === 'bench') {
      code = await (await import('../bench/node')).bench(args.argv);
    } else if (args.command === 'atlas') {
      code = await (await import('./atlas')).atlasMain(args.argv);
    } else if (args.command === 'theory') {
      code = await (await import('./theory')).theoryMain(args.argv);
    } else if (args.command === 'tune') {
      code = await (await import('./tune')).tuneMain(args.argv);
    } else {
      code = await train(args);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`error: ${e.message}\n`);
      code = EXIT_INPUT;
    } else {
      const err = e instanceof Error ? e : new Error(String(e));
      process.stderr.write(`error: ${err.message}\n`);
      if (process.env.MLP_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
      code = EXIT_INTERNAL;
    }
  }
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  return code;
}
