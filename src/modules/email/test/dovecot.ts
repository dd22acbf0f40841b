import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private Dovecot IMAP server for tests (TOOLCHAIN.md, "Email"): its own config, state and
 * maildirs in a temporary folder, on a free loopback port, as a child process of the test run.
 * Messages arrive through dovecot-lda like real deliveries. Test support, not production code.
 */
const DOVECOT = '/usr/sbin/dovecot';
const LDA = '/usr/lib/dovecot/dovecot-lda';

/** Why the IMAP tests cannot run here, or undefined when they can. */
export function dovecotUnavailable(): string | undefined {
  if (!fs.existsSync(DOVECOT) || !fs.existsSync(LDA)) return `${DOVECOT} is not installed (apt-get install dovecot-imapd)`;
  if (process.getuid?.() !== 0) return 'a private Dovecot needs root here (its mail is owned by nobody:nogroup)';
  return undefined;
}

export interface PrivateDovecot {
  host: string;
  port: number;
  /** Adds an IMAP account. */
  addUser(user: string, password: string): void;
  /** Delivers a message as an MTA would (dovecot-lda), into INBOX or `folder`. */
  deliver(user: string, raw: string | Buffer, folder?: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, logPath: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const log = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
      throw new Error(`dovecot exited with ${child.exitCode}:\n${log}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startDovecot(): Promise<PrivateDovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const mailDir = path.join(dir, 'mail');
  fs.mkdirSync(mailDir);
  fs.mkdirSync(path.join(dir, 'state'));
  fs.mkdirSync(path.join(dir, 'run'));
  const { uid, gid } = nobody();
  fs.chownSync(mailDir, uid, gid);
  // One passwd-file per account: Dovecot caches a passwd-file by modification time, so accounts
  // appended to one shared file within the same second could stay unknown.
  const users = path.join(dir, 'users');
  fs.mkdirSync(users);
  const logPath = path.join(dir, 'dovecot.log');
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logPath}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests try wrong passwords on purpose: no failure delay, no per-address auth penalty.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
mail_location = maildir:${mailDir}/%u/Maildir
first_valid_uid = ${Math.min(uid, 100)}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}/%u
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${mailDir}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
  try {
    await waitForPort(port, child, logPath);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    addUser(user, password) {
      if (!/^[\w.+-]+@[\w.-]+$/.test(user)) throw new Error(`unusable test account name: ${user}`);
      fs.writeFileSync(path.join(users, user), `${user}:{PLAIN}${password}\n`);
    },
    async deliver(user, raw, folder) {
      const lda = spawn(LDA, ['-c', conf, '-d', user, ...(folder ? ['-m', folder] : [])], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      lda.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      lda.stdin.end(raw);
      const code = await new Promise<number | null>((resolve) => lda.once('close', resolve));
      if (code !== 0) throw new Error(`dovecot-lda exited with ${code}: ${stderr}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function nobody(): { uid: number; gid: number } {
  const passwd = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const group = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nogroup:'));
  return { uid: Number(passwd?.split(':')[2] ?? 65534), gid: Number(group?.split(':')[2] ?? 65534) };
}
