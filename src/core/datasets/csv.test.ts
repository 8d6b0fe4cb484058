/**
 * @file The CSV reader: what it accepts (header or not, separators, quotes, blank lines), the
 * dataset it produces, the seeded split, and errors that point at the line and column.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { CsvError, csvDatasetConfig, parseCsv, splitCsv } from './csv';

describe('parseCsv', () => {
  it('reads features and the last column as the label, with a header', () => {
    const { dataset: d, header } = parseCsv('x,y,label\n0.5,-1,0\n2,3e-1,1\n\n1,1,2\n');
    expect(header).toEqual(['x', 'y', 'label']);
    expect([d.n, d.inputDim, d.classes]).toEqual([3, 2, 3]);
    expect(Array.from(d.x)).toEqual([0.5, -1, 2, Math.fround(0.3), 1, 1]);
    expect(Array.from(d.labels)).toEqual([0, 1, 2]);
  });

  it('reads headerless files, CRLF, semicolons, tabs and quoted cells', () => {
    expect(parseCsv('1,2,0\r\n3,4,1\r\n').header).toBeNull();
    expect(parseCsv('1;2;0\n3;4;1').delimiter).toBe(';');
    const t = parseCsv('"a"\t"b"\n"1.5"\t1\n');
    expect(t.delimiter).toBe('\t');
    expect(Array.from(t.dataset.x)).toEqual([1.5]);
  });

  it('has at least two classes, so one sigmoid unit fits a single-class file', () => {
    expect(parseCsv('1,0\n2,0\n').dataset.classes).toBe(2);
  });

  it('names the line and column of a bad number', () => {
    const text = 'a,b,c\n1,2,0\n\n3,oops,1\n';
    expect(() => parseCsv(text)).toThrow(CsvError);
    expect(() => parseCsv(text)).toThrow('line 4, column 2: "oops" is not a number');
  });

  it('treats a mixed first line as data, not as a header', () => {
    expect(() => parseCsv('1,abc,0\n1,2,1')).toThrow('line 1, column 2: "abc" is not a number');
  });

  it('names the line of a short row and of a bad label', () => {
    expect(() => parseCsv('1,2,0\n1,2\n')).toThrow('line 2, column 3: expected 3 columns like the first row, got 2');
    expect(() => parseCsv('1,2,0\n1,2,0.5\n')).toThrow(
      'line 2, column 3: the class label must be a non-negative integer',
    );
    expect(() => parseCsv('1,2,-1\n')).toThrow('line 1, column 3');
  });

  it('refuses empty files and a single column', () => {
    expect(() => parseCsv('\n\n')).toThrow('no data rows');
    expect(() => parseCsv('x,y,label\n')).toThrow('line 2: the file has a header but no data rows');
    expect(() => parseCsv('1\n2\n')).toThrow('line 1: needs at least 2 columns');
  });
});

describe('csv as a run dataset', () => {
  const csv = parseCsv(
    `f1,f2,f3,label\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 2},${-i},${i % 3}`).join('\n')}`,
  );

  it('stands in as a random dataset of the same shape that parseConfig accepts', () => {
    const dataset = csvDatasetConfig(csv.dataset, 0.25);
    expect(dataset).toMatchObject({ name: 'random', samples: 20, dim: 3, classes: 3, test_fraction: 0.25 });
    const cfg = parseConfig({
      dataset,
      layers: [
        { units: 4, activation: 'relu' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
    });
    expect(cfg.dataset.dim).toBe(3);
  });

  it('splits with the seeded permutation, keeping every row exactly once', () => {
    const { train, test } = splitCsv(csv.dataset, 0.25, 7);
    expect(train.n).toBe(15);
    expect(test!.n).toBe(5);
    const firsts = [
      ...Array.from({ length: 15 }, (_, i) => train.x[i * 3]),
      ...Array.from({ length: 5 }, (_, i) => test!.x[i * 3]),
    ];
    expect(firsts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(splitCsv(csv.dataset, 0.25, 7).test!.x).toEqual(test!.x);
    expect(splitCsv(csv.dataset, 0, 7).test).toBeNull();
  });
});
