/*
 * Runs `compliant-mlops` argument lists through main(argv, io) with a fake IO, in a child process,
 * so that the parent can kill a case that hangs (a synchronous hang would also stall vitest's own
 * timeout). Usage: `node --import tsx cli-runner.ts <cwd> '<JSON list of argv lists>'`; writes one
 * JSON line per case, in order, as each finishes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { fakeIO } from '../cli/fake-io';

/** One case's result, as the parent reads it. */
export interface RunnerResult {
  readonly index: number;
  readonly code: number;
  readonly err: string;
  readonly ms: number;
  /** Where stdout went (reports can be tens of megabytes: too much for one JSON line). */
  readonly outFile: string;
  /** What reached the real stderr during the case (Node warnings, stray logging): the CLI would print it. */
  readonly processErr: string;
  /** Set when main() itself rejected: it must never. */
  readonly thrown?: string;
}

let processErr = '';
// Node prints warnings asynchronously (process.emitWarning): capture the stream, not the event.
const realWrite = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
  processErr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  void rest;
  return true;
}) as typeof process.stderr.write;
void realWrite;

/** Lets queued warnings (emitted on the next tick) land before a case is closed. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

async function run(): Promise<void> {
  const [cwd, casesJson] = process.argv.slice(2);
  const cases = JSON.parse(casesJson) as string[][];
  for (let index = 0; index < cases.length; index++) {
    const io = fakeIO({ cwd });
    processErr = '';
    const t0 = Date.now();
    let result: Omit<RunnerResult, 'processErr'>;
    try {
      const code = await main(cases[index], io);
      result = { index, code, outFile: save(cwd, index, io.out()), err: io.err(), ms: Date.now() - t0 };
    } catch (e) {
      result = {
        index,
        code: -1,
        outFile: save(cwd, index, io.out()),
        err: io.err(),
        ms: Date.now() - t0,
        thrown: String((e as Error)?.stack ?? e),
      };
    }
    await settle();
    process.stdout.write(`${JSON.stringify({ ...result, processErr })}\n`);
  }
}

function save(cwd: string, index: number, out: string): string {
  const file = join(cwd, `.stdout-${index}.txt`);
  writeFileSync(file, out);
  return file;
}

void run();
