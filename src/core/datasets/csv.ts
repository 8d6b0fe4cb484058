/**
 * @file A user's own data: a CSV file of numeric columns whose last column is the integer class
 * label. The run-config schema has no `csv` dataset name, so a parsed file travels as a `random`
 * dataset of the same shape (`dim` = feature columns, `classes` = largest label + 1, `samples` =
 * rows): layer shapes, output checks and the engines then work unchanged, and the page hands the
 * parsed rows to the engine instead of generating noise. The split uses the same seeded
 * permutation as `loadDataset`, so a CSV run is as reproducible as a built-in one.
 *
 * Errors name the 1-based line and column, because the user has to find them in their file.
 */
import { permutation, Stream } from '../rng';
import type { Dataset, DatasetConfig, SplitDataset } from '../types';

/** A malformed file: `line` and `column` are 1-based positions in the text as the user sees it. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(column > 0 ? `line ${line}, column ${column}: ${detail}` : `line ${line}: ${detail}`);
    this.name = 'CsvError';
  }
}

interface CsvData {
  /** Rows as a dataset (named `random`, see the file comment). */
  dataset: Dataset;
  /** Column names when the first line was a header, else null. */
  header: string[] | null;
  /** The separator found on the first line. */
  delimiter: ',' | ';' | '\t';
}

/** Rows above this are refused: the browser would run out of memory long before training helps. */
const CSV_MAX_ROWS = 1_000_000;

function detectDelimiter(line: string): ',' | ';' | '\t' {
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  return ',';
}

/** Strips one pair of surrounding quotes and whitespace: `"1.5"` and ` 1.5 ` both read as 1.5. */
function cell(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"' ? t.slice(1, -1).trim() : t;
}

/** Strict number syntax: `Number('')` is 0 and `Number('0x10')` is 16, neither is data. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the text of a CSV file. The first non-empty line is a header when none of its cells is
 * a number. Blank lines and lines starting with `#` are skipped. Throws CsvError.
 */
export function parseCsv(text: string): CsvData {
  const lines = text.split(/\r\n|\n|\r/);
  let first = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (first < 0) throw new CsvError(1, 0, 'the file has no data rows');
  const delimiter = detectDelimiter(lines[first]);
  const firstCells = lines[first].split(delimiter).map(cell);
  const columns = firstCells.length;
  if (columns < 2) {
    throw new CsvError(
      first + 1,
      0,
      `needs at least 2 columns (features, then the class label) separated by commas, got ${columns}`,
    );
  }
  let header: string[] | null = null;
  // A header has no numeric cell; a mixed first line is a data row with an error in it.
  if (firstCells.every((c) => !NUMBER.test(c))) {
    header = firstCells;
    first++;
  }
  const dim = columns - 1;
  const xs: number[] = [];
  const labels: number[] = [];
  for (let i = first; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const cells = raw.split(delimiter).map(cell);
    if (cells.length !== columns) {
      throw new CsvError(
        i + 1,
        Math.min(cells.length, columns) + 1,
        `expected ${columns} columns like the first row, got ${cells.length}`,
      );
    }
    for (let j = 0; j < dim; j++) {
      const c = cells[j];
      const v = NUMBER.test(c) ? Number(c) : NaN;
      if (!Number.isFinite(v)) throw new CsvError(i + 1, j + 1, `${JSON.stringify(c)} is not a number`);
      xs.push(v);
    }
    const lc = cells[dim];
    const label = NUMBER.test(lc) ? Number(lc) : NaN;
    if (!Number.isInteger(label) || label < 0) {
      throw new CsvError(
        i + 1,
        columns,
        `the class label must be a non-negative integer (0, 1, 2, ...), got ${JSON.stringify(lc)}`,
      );
    }
    labels.push(label);
    if (labels.length > CSV_MAX_ROWS) throw new CsvError(i + 1, 0, `more than ${CSV_MAX_ROWS} rows`);
  }
  const n = labels.length;
  if (n === 0) throw new CsvError(first + 1, 0, 'the file has a header but no data rows');
  let classes = 2;
  for (const l of labels) if (l + 1 > classes) classes = l + 1;
  if (classes > 1000) {
    const at = labels.findIndex((l) => l >= 1000);
    throw new CsvError(lineOfRow(lines, first, at), columns, `class label ${labels[at]} is too large (at most 999)`);
  }
  return {
    dataset: { name: 'random', x: Float32Array.from(xs), labels: Uint32Array.from(labels), n, inputDim: dim, classes },
    header,
    delimiter,
  };
}

/** 1-based line number of data row `row`, skipping blanks and comments as the parser did. */
function lineOfRow(lines: string[], first: number, row: number): number {
  let r = -1;
  for (let i = first; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    if (++r === row) return i + 1;
  }
  return lines.length;
}

/** The dataset config that stands for a parsed file (same shape, so parseConfig checks the output layer). */
export function csvDatasetConfig(ds: Dataset, testFraction = 0): DatasetConfig {
  return {
    name: 'random',
    samples: ds.n,
    noise: 0,
    dim: ds.inputDim,
    classes: ds.classes,
    test_fraction: testFraction,
  };
}

/** Splits like `loadDataset`: the last round(n * fraction) rows of the seeded `split` permutation are the test set. */
export function splitCsv(ds: Dataset, testFraction: number, seed: number): SplitDataset {
  const nTest = Math.round(ds.n * testFraction);
  if (nTest === 0 || nTest >= ds.n) return { train: ds, test: null };
  const perm = permutation(ds.n, seed, Stream.split, 0);
  const pick = (rows: Uint32Array): Dataset => {
    const d = ds.inputDim;
    const x = new Float32Array(rows.length * d);
    const labels = new Uint32Array(rows.length);
    rows.forEach((r, i) => {
      x.set(ds.x.subarray(r * d, r * d + d), i * d);
      labels[i] = ds.labels[r];
    });
    return { ...ds, x, labels, n: rows.length };
  };
  return { train: pick(perm.subarray(0, ds.n - nTest)), test: pick(perm.subarray(ds.n - nTest)) };
}
