/** The bench's rows: each workload adds rows, printed as they come and written to one JSON file. */

export interface Row {
  /** W1…W6, or L for the machine's own limits. */
  id: string;
  what: string;
  /** null: not measured (skipped or failed); `note` says why. */
  value: number | null;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  /** What the figure stands beside: a limit measured in this run, or the ratio to the peer. */
  against?: string;
  note?: string;
  /** Raw numbers behind the figure (counts, seconds, RSS, status codes). */
  details?: Record<string, unknown>;
}

export class Report {
  readonly rows: Row[] = [];

  add(row: Row): Row {
    this.rows.push(row);
    console.log(formatRow(row));
    return row;
  }

  skip(id: string, what: string, unit: string, note: string): Row {
    return this.add({ id, what, value: null, unit, note });
  }

  /** The value of the first row with this id and description, if measured. */
  value(id: string, what: string): number | undefined {
    return this.rows.find((row) => row.id === id && row.what === what)?.value ?? undefined;
  }
}

export function header(): string {
  return `${'id'.padEnd(3)} ${'what'.padEnd(72)} ${'figure'.padStart(10)} ${'unit'.padEnd(12)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  against / note`;
}

export function formatRow(row: Row): string {
  const value = row.value === null ? '—' : formatNumber(row.value);
  const ms = (n: number | undefined) => (n === undefined ? '' : formatNumber(n));
  const tail = [row.against, row.note].filter((text) => text !== undefined && text !== '').join('; ');
  return `${row.id.padEnd(3)} ${row.what.padEnd(72)} ${value.padStart(10)} ${row.unit.padEnd(12)} ${ms(row.p50Ms).padStart(8)} ${ms(row.p99Ms).padStart(8)}  ${tail}`;
}

export function formatNumber(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || theirs === 0) return '—';
  return `${(ours / theirs).toFixed(2)}×`;
}

export const since = (start: number): number => (performance.now() - start) / 1000;
