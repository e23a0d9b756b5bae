import { guardedOutput } from './support/cli-io';
import { run } from './cli';

/** `npm run audit -- <command>`: the process face of run(). */
void run(process.argv.slice(2), {
  stdout: guardedOutput(process.stdout),
  stderr: process.stderr,
  env: process.env,
}).then((status) => {
  process.exitCode = status;
});
