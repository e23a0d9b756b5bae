import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io';

/** Counts work for a long run; draws a bar with rate and ETA only on a terminal. */
export interface Progress {
  tick(count?: number): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => undefined, stop: () => undefined };

/**
 * Progress goes to stderr, so stdout stays clean for the result. Nothing is drawn in pipes, in CI
 * logs or in --json mode, where a redrawn line would be noise in a machine's input.
 */
export function startProgress(io: CliIo, label: string, total: number, options: { json: boolean }): Progress {
  if (options.json || io.stderr.isTTY !== true || total <= 0) return SILENT;
  const bar = new SingleBar(
    {
      stream: io.stderr as unknown as NodeJS.WritableStream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
      etaBuffer: 50,
      fps: 5,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  bar.start(total, 0, { rate: '0' });
  return {
    tick(count = 1) {
      done += count;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(done, total), { rate: Math.round(done / seconds).toLocaleString('en') });
    },
    stop() {
      bar.stop();
    },
  };
}
