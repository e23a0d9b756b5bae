import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = join(__dirname, '..', '..');

/**
 * Runs a tool of node_modules as its own process (Redocly, openapi-typescript, tsc): they are ES
 * modules with their own dependency trees, which Jest's CommonJS loader should not have to load.
 * Telemetry and update notices off: CI runs offline.
 */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export const tool = Object.assign(
  (bin: string, args: string[], cwd = ROOT): Promise<Ran> => node(join(ROOT, 'node_modules', bin), args, cwd),
  { node },
);

/** A Node script in its own process; a failure is a result (code, output), not a throw. */
async function node(script: string, args: string[], cwd = ROOT): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      cwd,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
