/** wrk (https://github.com/wg/wrk) drives the HTTP rows; a row is skipped, saying so, without it. */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { BENCH_KEY } from './processes';

let available: boolean | undefined;

export function hasWrk(): boolean {
  if (available === undefined) {
    const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
    available = probe.error === undefined;
  }
  return available;
}

export const NO_WRK = 'wrk is not installed (apt-get install -y wrk): skipped';

export interface WrkResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Answers outside 2xx/3xx, and those that were 409. */
  non2xx: number;
  conflicts: number;
  socketErrors: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs wrk; `script` is a Lua file (see the writers below). */
export function runWrk(options: {
  url: string;
  connections: number;
  threads: number;
  seconds: number;
  script: string;
}): Promise<WrkResult> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    options.script,
    options.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const line = out.split('\n').find((text) => text.startsWith('BENCH_JSON '));
      if (line === undefined) return reject(new Error(`wrk printed no result: ${out.slice(-500)}`));
      const raw = JSON.parse(line.slice('BENCH_JSON '.length)) as Record<string, number>;
      const num = (key: string) => raw[key] ?? 0;
      const seconds = num('durationUs') / 1e6;
      resolve({
        requests: num('requests'),
        seconds,
        perSecond: num('requests') / seconds,
        non2xx: num('non2xx'),
        conflicts: num('conflicts'),
        socketErrors: num('connect') + num('read') + num('write') + num('timeout'),
        p50Ms: num('p50us') / 1000,
        p99Ms: num('p99us') / 1000,
      });
    });
  });
}

/** The shared tail of every script: per-thread 409 counts gathered in done(), one JSON line. */
const DONE = `
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function response(status, headers, body)
  if status == 409 then conflicts = (conflicts or 0) + 1 end
end
function done(summary, latency, requests)
  local c = 0
  for _, t in ipairs(threads) do c = c + (t:get("conflicts") or 0) end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"non2xx":%d,"conflicts":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50us":%d,"p99us":%d}\\n',
    summary.requests, summary.duration, summary.errors.status, c, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

/** GET of one path, for the bare server (the machine's HTTP limit). */
export function writeGetScript(file: string, path: string): string {
  writeFileSync(file, `wrk.method = "GET"\nwrk.path = ${lua(path)}\n${DONE}`);
  return file;
}

/**
 * GETs, with the bench's key, a path drawn at random from `paths` on every request (W3: cut reads
 * at random events of a claim). With one connection the reads are sequential, each timed by wrk.
 */
export function writeGetPathsScript(file: string, paths: readonly string[], seed: number): string {
  writeFileSync(
    file,
    `local paths = {
  ${paths.map(lua).join(',\n  ')}
}
local headers = { ["Authorization"] = ${lua(`Bearer ${BENCH_KEY}`)} }
function init(args)
  math.randomseed(${seed} + (id or 0))
end
function request()
  return wrk.format("GET", paths[math.random(1, #paths)], headers)
end
${DONE}`,
  );
  return file;
}

/**
 * POSTs a statement (with a fresh statementId, a v4 UUID unique per thread and request) to a claim
 * drawn at random from `claimIds` on every request. Give each wrk process running at the same time
 * its own `salt`: it is part of every id and of the random seed, so two processes never collide.
 */
export function writeStatementScript(
  file: string,
  claimIds: readonly string[],
  sourceId: string,
  salt: number,
): string {
  const body = JSON.stringify({
    statementId: '__ID__',
    sourceId,
    stance: 'affirms',
    value: { exact: 0 },
    quote: { text: 'قال المتحدث إن العدد تجاوز المئة', language: 'ar' },
    statedAt: { at: '2017-10-15T09:00:00Z', precision: 'hour' },
    attribution: 'on-record',
  })
    .replace('"__ID__"', '"%s"')
    .replace('"exact":0', '"exact":%d');
  const paths = claimIds.map((id) => lua(`/claims/${id}/statements`)).join(',\n  ');
  writeFileSync(
    file,
    `local paths = {
  ${paths}
}
local headers = { ["Authorization"] = ${lua(`Bearer ${BENCH_KEY}`)}, ["Content-Type"] = "application/json" }
local template = ${lua(body)}
local counter = 0
local salt = ${salt}
function init(args)
  math.randomseed(os.time() * 1000 + salt * 100 + (id or 0))
end
local function uuid()
  counter = counter + 1
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%08x", salt, id or 0,
    math.random(0, 65535), math.random(0, 4095), math.random(32768, 49151), math.random(0, 65535), counter)
end
function request()
  local path = paths[math.random(1, #paths)]
  return wrk.format("POST", path, headers, string.format(template, uuid(), counter))
end
${DONE}`,
  );
  return file;
}

function lua(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
