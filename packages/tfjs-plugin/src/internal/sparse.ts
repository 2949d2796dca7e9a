import type { Matrix } from '@liesym/core';

/** A sparse square matrix as coordinate triplets (row, col, value). */
export interface Sparse {
  n: number;
  rows: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

export function toSparse(m: Matrix): Sparse {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      if (v !== 0) {
        rows.push(i);
        cols.push(j);
        vals.push(v);
      }
    }
  }
  return { n: m.rows, rows: Int32Array.from(rows), cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
}

export function frobeniusDot(a: Sparse, b: Sparse): number {
  const map = new Map<number, number>();
  for (let k = 0; k < a.vals.length; k++) map.set(a.rows[k]! * a.n + a.cols[k]!, a.vals[k]!);
  let s = 0;
  for (let k = 0; k < b.vals.length; k++) s += (map.get(b.rows[k]! * b.n + b.cols[k]!) ?? 0) * b.vals[k]!;
  return s;
}
