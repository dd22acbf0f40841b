/**
 * Large-workspace generator for benchmarks: `npm run seed:large -- --cases N [--customers M] [--workspace slug]`.
 * Writes straight into the tables with multi-row INSERT ... SELECT FROM unnest(arrays), one
 * transaction per batch of cases, so 20,000 cases take seconds rather than the minutes the
 * services would need. Historical rows get case_events but no domain_events: those were relayed
 * long ago, and unpublished ones would make the next start-up replay the whole history.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../config/env.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { FIRST_NAMES, LAST_NAMES, ORGANIZATIONS, pick, seededRandom, weighted } from '../demo/content.js';
import { advanceCaseNumbers } from '../modules/cases/case-numbers.js';
import { API_TOKEN_PREFIX } from '../modules/agents/authentication.js';
import { hashPassword } from '../modules/agents/passwords.js';
import { createWorkspace, findWorkspaceBySlug } from '../modules/workspaces/service.js';
import { hashToken } from '../platform/tokens.js';
import { BENCH_PASSWORD, SEED_INFO_FILE, type SeedInfo } from './seed-info.js';
import { buildIndexes, dropSecondaryIndexes, tablesAreEmpty } from './seed-indexes.js';
import { addCase, DAY, emptyBatch, pgArray, writeCaseBatch, type Setup } from './seed-cases.js';

const BATCH = 1000;

interface Args {
  cases: number;
  customers: number;
  workspace: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const cases = Number(get('cases') ?? 20000);
  if (!Number.isInteger(cases) || cases < 1 || cases > 5_000_000) throw new Error('--cases must be a whole number from 1 to 5,000,000');
  const customers = Number(get('customers') ?? Math.max(1, Math.ceil(cases * 0.6)));
  if (!Number.isInteger(customers) || customers < 1) throw new Error('--customers must be a whole number >= 1');
  const workspace = get('workspace') ?? 'bench';
  return { cases, customers, workspace };
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

async function setUpWorkspace(db: Db, slug: string): Promise<Setup> {
  if (await findWorkspaceBySlug(db, slug)) {
    throw new Error(`The workspace "${slug}" already exists: choose another --workspace or use a fresh database.`);
  }
  const ws = await createWorkspace(db, { name: `Bench ${slug}`, slug });
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const agent = async (email: string, name: string, role: 'admin' | 'agent' | 'supervisor') =>
    (
      await db
        .insertInto('agents')
        .values({ workspace_id: ws.id, email, name, role, status: 'active', password_hash: passwordHash, presence: 'online' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const adminId = await agent(`bench-admin@${slug}.test`, 'Bench Admin', 'admin');
  const teamSpecs = [
    { name: 'Billing', categories: ['billing', 'payment', 'dispute', 'refund'], size: 8 },
    { name: 'Technical', categories: ['technical', 'general'], size: 4 },
  ];
  const teams: Setup['teams'] = [];
  let n = 0;
  for (const spec of teamSpecs) {
    const team = await db.insertInto('teams').values({ workspace_id: ws.id, name: spec.name }).returning('id').executeTakeFirstOrThrow();
    const queue = await db
      .insertInto('queues')
      .values({ workspace_id: ws.id, team_id: team.id, name: `${spec.name} queue`, categories: spec.categories })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agentIds = spec.name === 'Billing' ? [adminId] : [];
    for (let i = 0; i < spec.size; i++)
      agentIds.push(await agent(`agent${++n}@${slug}.test`, `${pick(Math.random, FIRST_NAMES)} Agent${n}`, 'agent'));
    for (const agentId of agentIds)
      await db.insertInto('team_members').values({ team_id: team.id, agent_id: agentId, workspace_id: ws.id }).execute();
    teams.push({ id: team.id, queueId: queue.id, agentIds, categories: spec.categories });
  }
  const token = `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('api_tokens')
    .values({
      workspace_id: ws.id,
      agent_id: adminId,
      name: 'bench',
      token_hash: hashToken(token),
      token_prefix: token.slice(0, 8),
      created_by: adminId,
    })
    .execute();
  return { workspaceId: ws.id, adminId, teams, token };
}

/**
 * Batches written while the next one is generated: two in flight, each on its own pooled
 * connection, so PostgreSQL works on both cores' worth of batches instead of waiting for the
 * generator (and the generator for it). The first failure stops the seed.
 */
class BatchWrites {
  private readonly inFlight: Promise<void>[] = [];
  private failure: Error | undefined;

  async add(write: () => Promise<void>): Promise<void> {
    this.throwFailure();
    const running = write().catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    });
    this.inFlight.push(running);
    if (this.inFlight.length >= WRITES_IN_FLIGHT) await this.inFlight.shift();
    this.throwFailure();
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
    this.throwFailure();
  }

  private throwFailure(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

const WRITES_IN_FLIGHT = 2;

async function seedCustomers(
  db: Db,
  workspaceId: string,
  count: number,
  random: () => number,
): Promise<{ ids: string[]; languages: string[] }> {
  const ids: string[] = [];
  const languages: string[] = [];
  const langs: [string, number][] = [
    ['en', 0.6],
    ['de', 0.2],
    ['fr', 0.12],
    ['es', 0.08],
  ];
  const writes = new BatchWrites();
  for (let start = 0; start < count; start += BATCH) {
    const c = { id: [] as string[], name: [] as string[], org: [] as string[], lang: [] as string[], created: [] as string[] };
    const idn = { customer: [] as string[], kind: [] as string[], value: [] as string[], primary: [] as boolean[] };
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const id = crypto.randomUUID();
      const first = pick(random, FIRST_NAMES);
      const last = pick(random, LAST_NAMES);
      const lang = weighted(random, langs);
      c.id.push(id);
      c.name.push(`${first} ${last}`);
      c.org.push(pick(random, ORGANIZATIONS));
      c.lang.push(lang);
      c.created.push(new Date(Date.now() - random() * 800 * DAY).toISOString());
      ids.push(id);
      languages.push(lang);
      const identities = 1 + Math.floor(random() * random() * 3);
      idn.customer.push(id);
      idn.kind.push('email');
      idn.value.push(`${ascii(first)}.${ascii(last)}.${i}@mail${i % 7}.example`);
      idn.primary.push(true);
      const identity = (kind: string, value: string, primary: boolean) => {
        idn.customer.push(id);
        idn.kind.push(kind);
        idn.value.push(value);
        idn.primary.push(primary);
      };
      if (identities >= 2) identity('phone', `+49${1500000000 + i}`, true);
      if (identities >= 3) identity('email', `${ascii(last)}${i}@work.example`, false);
    }
    await writes.add(() =>
      db.transaction().execute(async (tx) => {
        await sql`insert into customers (id, workspace_id, name, organization, language, created_at, updated_at)
        select u.id, ${workspaceId}::uuid, u.name, u.org, u.lang, u.created, u.created
        from unnest(${pgArray(c.id)}::uuid[], ${pgArray(c.name)}::text[], ${pgArray(c.org)}::text[], ${pgArray(c.lang)}::text[], ${pgArray(c.created)}::timestamptz[])
          as u(id, name, org, lang, created)`.execute(tx);
        await sql`insert into customer_identities (workspace_id, customer_id, kind, value, is_primary)
        select ${workspaceId}::uuid, u.cid, u.kind, u.value, u.prim
        from unnest(${pgArray(idn.customer)}::uuid[], ${pgArray(idn.kind)}::text[], ${pgArray(idn.value)}::text[], ${pgArray(idn.primary)}::boolean[]) as u(cid, kind, value, prim)`.execute(
          tx,
        );
      }),
    );
  }
  await writes.drain();
  return { ids, languages };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig({ ...process.env, BATON_DEMO_DATA: 'false' }, []);
  const target = config.databaseUrl ? config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@') : `embedded database in ${config.dataDir}`;
  console.log(`Seeding ${args.cases} cases / ${args.customers} customers into workspace "${args.workspace}" on ${target}`);
  if (!config.databaseUrl)
    console.log('(The embedded database is locked while Baton runs on it: stop Baton first. PostgreSQL via DATABASE_URL is recommended.)');
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const db = handle.db;
  let restoreIndexes = async (): Promise<void> => {};
  try {
    await migrate(db);
    const random = seededRandom(0xba70 + args.cases);
    const started = performance.now();
    const setup = await setUpWorkspace(db, args.workspace);
    // An empty database (one of its own, as benchmarks use) is loaded without its secondary indexes.
    const deferred = (await tablesAreEmpty(db)) ? await dropSecondaryIndexes(db) : [];
    if (deferred.length > 0) console.log(`empty database: ${deferred.length} secondary indexes are built after the load`);
    // A failed load still gets its indexes back: the database stays usable for what was written.
    restoreIndexes = () => buildIndexes(db, deferred.splice(0), () => {});
    const customers = await seedCustomers(db, setup.workspaceId, args.customers, random);
    const afterCustomers = performance.now();
    console.log(`customers: ${args.customers} in ${((afterCustomers - started) / 1000).toFixed(1)} s`);
    let batch = emptyBatch();
    let lastReport = afterCustomers;
    const writes = new BatchWrites();
    for (let i = 0; i < args.cases; i++) {
      // A few customers write often: squaring the draw skews cases towards the first customers.
      const k = Math.floor(random() * random() * customers.ids.length);
      addCase(batch, setup, 1001 + i, customers.ids[k]!, customers.languages[k]!, random);
      if (batch.c.id.length === BATCH || i === args.cases - 1) {
        const full = batch;
        await writes.add(() => writeCaseBatch(db, setup.workspaceId, full));
        batch = emptyBatch();
        const now = performance.now();
        if (now - lastReport > 2000 || i === args.cases - 1) {
          lastReport = now;
          const done = i + 1;
          console.log(`cases: ${done}/${args.cases}  ${(done / ((now - afterCustomers) / 1000)).toFixed(0)} cases/s`);
        }
      }
    }
    await writes.drain();
    await advanceCaseNumbers(db, setup.workspaceId, 1000 + args.cases);
    const casesDone = performance.now();
    await buildIndexes(db, deferred.splice(0), (index, ms) => console.log(`index ${index.name}: built in ${(ms / 1000).toFixed(1)} s`));
    await sql`analyze`.execute(db);
    const seconds = (casesDone - afterCustomers) / 1000;
    const total = (performance.now() - started) / 1000;
    const info: SeedInfo = {
      workspace: args.workspace,
      workspace_id: setup.workspaceId,
      cases: args.cases,
      customers: args.customers,
      admin_email: `bench-admin@${args.workspace}.test`,
      password: BENCH_PASSWORD,
      api_token: setup.token,
      cases_per_second: Math.round(args.cases / seconds),
      total_seconds: Number(total.toFixed(1)),
      seeded_at: new Date().toISOString(),
    };
    fs.mkdirSync(path.dirname(SEED_INFO_FILE), { recursive: true });
    fs.writeFileSync(SEED_INFO_FILE, JSON.stringify(info, null, 2) + '\n');
    console.log(
      [
        `Done: ${args.cases} cases in ${seconds.toFixed(1)} s (${info.cases_per_second} cases/s; ${total.toFixed(1)} s in all with customers, indexes and ANALYZE).`,
        `  Sign in:   ${info.admin_email} / ${BENCH_PASSWORD}`,
        `  API token: ${setup.token}`,
        `  (also written to ${path.relative(process.cwd(), SEED_INFO_FILE)} for npm run bench)`,
      ].join('\n'),
    );
  } catch (error) {
    await restoreIndexes().catch((restoreError: unknown) => console.error('could not build the dropped indexes again:', restoreError));
    throw error;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
