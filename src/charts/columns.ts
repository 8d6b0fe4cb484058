/**
 * @file Column-wise data for uPlot (`[xs, ys1, ys2 ...]`), built from TrainingHistory columns.
 *
 * uPlot treats `null` as a gap (the line breaks) and `undefined` as "no sample here" (the line
 * runs across). So: a NaN or infinite value (no test evaluation, a diverged loss) becomes null,
 * and so does any value ≤ 0 on a log axis, where it has no position, except exact zeros that a
 * chart puts on its axis floor (zeroFloor); where several runs are joined on one x column, a step
 * that one run did not record is undefined for that run.
 */

export type Cell = number | null | undefined;
/** uPlot's AlignedData, as plain mutable arrays. */
export type Columns = [number[], ...Cell[][]];

/** A finite number (positive on a log axis) or null. */
export function clean(v: number, log = false): number | null {
  return Number.isFinite(v) && (!log || v > 0) ? v : null;
}

export function cleanColumn(col: ArrayLike<number>, log = false): (number | null)[] {
  const out = new Array<number | null>(col.length);
  for (let i = 0; i < col.length; i++) out[i] = clean(col[i], log);
  return out;
}

/**
 * Where exact zeros go on a log axis, which has no 0: a decade below the decade of the smallest
 * positive value of `cols` (10⁻³ when none is positive), or null when no value is exactly 0. A
 * zero that is the point (units that are copies, a signal that is gone) must show, not vanish.
 */
export function zeroFloor(cols: readonly ArrayLike<number>[]): number | null {
  let zero = false,
    least = Infinity;
  for (const c of cols)
    for (let i = 0; i < c.length; i++) {
      if (c[i] === 0) zero = true;
      else if (c[i] > 0 && c[i] < least) least = c[i];
    }
  if (!zero) return null;
  return Number.isFinite(least) ? 10 ** (Math.floor(Math.log10(least) + 1e-9) - 1) : 1e-3;
}

/** `col` with its exact zeros moved to `floor` (none moved when floor is null). */
export function onFloor(col: ArrayLike<number>, floor: number | null): ArrayLike<number> {
  return floor === null ? col : Array.from(col, (v) => (v === 0 ? floor : v));
}

/** One run's columns: its x values and any number of y columns aligned with them. */
export interface Table {
  x: ArrayLike<number>;
  ys: ArrayLike<Cell>[];
}

/**
 * Joins tables with different x columns (runs decimated differently, or of different lengths)
 * onto the sorted union of their x values. A table's y columns come out in order, table after
 * table; where a table has no row for an x its cells are undefined.
 */
export function joinTables(tables: readonly Table[]): Columns {
  const same = tables.length > 0 && tables.every((t) => sameX(t.x, tables[0].x) && isAscending(t.x));
  if (same) return [Array.from(tables[0].x), ...tables.flatMap((t) => t.ys.map((y) => Array.from(y)))];
  const xs = [...new Set(tables.flatMap((t) => Array.from(t.x)))].filter(Number.isFinite).sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const out: Columns = [xs];
  for (const t of tables) {
    for (const y of t.ys) {
      const col = new Array<Cell>(xs.length).fill(undefined);
      for (let i = 0; i < t.x.length; i++) {
        const j = at.get(t.x[i]);
        if (j !== undefined) col[j] = y[i];
      }
      out.push(col);
    }
  }
  return out;
}

function sameX(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isAscending(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (!(a[i] > a[i - 1])) return false;
  return true;
}

/** Smallest and largest non-null cell over some columns (for ranges uPlot cannot infer). */
export function extent(cols: readonly ArrayLike<Cell>[]): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const c of cols)
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      if (v != null) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  return lo <= hi ? [lo, hi] : null;
}
