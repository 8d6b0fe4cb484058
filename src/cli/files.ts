/**
 * @file The files a command reads and writes, with the one-line errors a user can act on: a
 * missing or unreadable input, invalid JSON, an output whose directory cannot be written. Checked
 * before any work starts, so a typo fails in milliseconds rather than after training.
 */
import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../core/errors';

const input = (message: string) => new ConfigError('', message);

/** What went wrong with a file, in words (Node's error codes are not for users). */
function reason(e: unknown): string {
  switch ((e as { code?: string }).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses a JSON input (`-`: stdin); `flag` names where the path came from in errors. */
export async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (e) {
    throw input(`${flag}: cannot read ${path}: ${reason(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw input(`${path === '-' ? 'stdin' : path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Fails now if `path` could not be written later. */
export async function checkWritable(flag: string, path: string): Promise<void> {
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch (e) {
    throw input(`${flag}: cannot write ${path}: ${reason(e) === 'no such file' ? 'no such directory' : reason(e)}`);
  }
}

export async function writeOutput(flag: string, path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (e) {
    throw input(`${flag}: cannot write ${path}: ${reason(e)}`);
  }
}
