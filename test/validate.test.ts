/**
 * @file The validation toolkit and the flag reader: one wording for a bad value wherever it was
 * written (a run config, an atlas config, a flag), each message naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseAtlasConfig } from '../src/atlas/config';
import { parseConfig } from '../src/core/config';
import { flagInt, flagList, parseFlags } from '../src/core/flags';
import { int, num, positive } from '../src/core/validate';

const xor = {
  dataset: 'xor',
  layers: [
    { units: 2, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ],
};

describe('validate', () => {
  it('says what a range allows', () => {
    expect(() => num(2, 'a', { min: 0, max: 1 })).toThrow('a must be a number from 0 to 1, got 2');
    expect(() => num(1, 'a', { min: 0, max: 1, maxOpen: true })).toThrow('a must be a number >= 0 and < 1, got 1');
    expect(() => num(Number.NaN, 'a')).toThrow('a must be a number, got null');
    expect(() => positive(0, 'a')).toThrow('a must be a positive number, got 0');
    expect(() => int(1.5, 'a', 0)).toThrow('a must be a non-negative integer, got 1.5');
    expect(() => int(9, 'a', 2, 8)).toThrow('a must be an integer from 2 to 8, got 9');
    expect(num(0.5, 'a', { min: 0, max: 1 })).toBe(0.5);
  });

  it('a run config and an atlas config word the same mistake alike', () => {
    const bad = { ...xor, optimizer: { name: 'sgd', learning_rate: 0 } };
    const message = 'optimizer.learning_rate must be a positive number, got 0';
    expect(() => parseConfig(bad)).toThrow(message);
    expect(() => parseAtlasConfig({ ...bad, mode: 'population' })).toThrow(message);
    expect(() => parseConfig({ ...xor, extra: 1 })).toThrow(/^extra is not a known field; allowed: seed, /);
    expect(() => parseAtlasConfig({ ...xor, mode: 'population', som: { side: 3 } })).toThrow(
      /^som\.side is not a known field; allowed: rows, /,
    );
  });
});

describe('flags', () => {
  const spec = { values: ['--n', '--out'], switches: ['--quick'] };

  it('reads values in both forms and switches', () => {
    const f = parseFlags(['--n', '3', '--out=x.json', '--quick'], spec);
    expect([...f.values]).toEqual([
      ['--n', '3'],
      ['--out', 'x.json'],
    ]);
    expect(f.switches.has('--quick')).toBe(true);
    expect(flagInt('--n', f.values.get('--n')!, 1)).toBe(3);
  });

  it('refuses what it cannot read, naming the flag', () => {
    expect(() => parseFlags(['--m', '1'], spec)).toThrow('unknown flag "--m"; flags: --n, --out, --quick');
    expect(() => parseFlags(['stray'], spec)).toThrow(/^unexpected argument "stray"/);
    expect(() => parseFlags(['--n'], spec)).toThrow('--n needs a value');
    expect(() => parseFlags(['--n', '--quick'], spec)).toThrow('--n needs a value');
    expect(() => parseFlags(['--n', '1', '--n=2'], spec)).toThrow('--n is given twice');
    expect(() => parseFlags(['--quick=yes'], spec)).toThrow('--quick takes no value, got "yes"');
    expect(() => flagInt('--n', '-1', 0)).toThrow('--n must be a non-negative integer, got "-1"');
    expect(() => flagInt('--n', '70000', 1, 65536)).toThrow('--n must be an integer from 1 to 65536, got "70000"');
    expect(() => flagList('--parts', 'a,z', ['a', 'b'])).toThrow('--parts: unknown "z"; allowed: a, b');
  });
});
