/**
 * Starts Baton (`node dist/server/main.js`) as a child process on the bench database, waits for
 * its ready line, and samples its memory and CPU from /proc (Linux) while scenarios run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { serverNodeArgs } from '../config/heap-limit.js';

export interface ServerHandle {
  child: ChildProcess;
  url: string;
  startupMs: number;
  /** Peak resident memory so far (VmHWM), MB. */
  peakRssMb(): number;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function readStatusKb(pid: number, field: string): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

function readCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14, 15)
}

export async function startServer(options: { databaseUrl: string; port: number; smtpPort: number; entry: string }): Promise<ServerHandle> {
  const started = performance.now();
  // BENCH_SERVER_NODE_ARGS: extra node options for the server alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  // The same heap cap as `npm start` (BATON_HEAP_MB), so the measured RSS is what users run.
  const child = spawn(process.execPath, [...serverNodeArgs(process.env), ...nodeArgs, options.entry, '--role=web,worker'], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      BATON_SMTP_PORT: String(options.smtpPort),
      // No DNS on a bench machine: SPF/DKIM lookups would measure the resolver's timeouts.
      BATON_MAIL_AUTH_CHECKS: process.env.BATON_MAIL_AUTH_CHECKS ?? 'false',
      BATON_DEMO_DATA: 'false',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let output = '';
  const startupMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Baton did not print its ready line within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Baton is running at')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Baton exited with code ${code}:\n${output}`));
    });
  });
  // Keep draining the pipes so the server never blocks on a full one.
  child.stdout!.removeAllListeners('data').on('data', () => undefined);
  child.stderr!.removeAllListeners('data').on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.removeAllListeners('exit');
  return {
    child,
    url: `http://127.0.0.1:${options.port}`,
    startupMs,
    peakRssMb: () => readStatusKb(pid, 'VmHWM') / 1024,
    cpuSeconds: () => readCpuSeconds(pid),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
