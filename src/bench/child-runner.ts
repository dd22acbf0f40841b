import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs a load generator as its own process (so its CPU never counts as the server's): the spec
 * goes in a temporary JSON file, the child prints `START` once it is up (`onStart` resets the
 * measuring window) and its result as the last JSON line.
 */
export function runLoadChild<T>(script: string, spec: object, onStart: () => void): Promise<T> {
  const file = path.join(os.tmpdir(), `baton-bench-${process.pid}-${path.basename(script, '.ts')}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(script), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (!out.includes('START\n') && (out + chunk.toString()).includes('START\n')) onStart();
      out += chunk.toString();
    });
    child.on('exit', (code) => {
      fs.rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
    });
  });
}
