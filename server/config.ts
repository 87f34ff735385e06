import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The server's settings, read once from the environment at start-up. */
const ConfigSchema = z.object({
  /** TCP port to listen on. Default 3000; 0 picks a free port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. Default 0.0.0.0 so phones on the LAN can reach it. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Base URL printed and encoded in the QR, e.g. https://seminar.example.jp. Default: http://<LAN address>:PORT. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://192.168.1.10:3000' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  /** Folder for the SQLite database (and the admin password and demo-session files). Default ./data. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * A PostgreSQL database to store sessions in instead of SQLite, e.g. postgres://kotae@db.example:5432/kotae
   * (the schema is created at start). Default: none, SQLite in DATA_DIR.
   */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, { error: 'must be a postgres:// URL such as postgres://kotae@127.0.0.1:5432/kotae' }).optional(),
  /**
   * With DATABASE_URL: this node's name in the cluster, unique and stable across restarts (a restart
   * retires the previous start of the same name at once). Also its HAProxy backend. Default <host name>-<PORT>.
   */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { error: 'must be 1–63 letters, digits, dots, dashes or underscores, such as kotae-1' })
    .optional(),
  /** With DATABASE_URL: where clients reach this node directly, e.g. http://10.0.0.11:3000. Default: the public URL. */
  NODE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://10.0.0.11:3000' }).optional(),
  /** Folder holding the courses. Default ./slides. */
  COURSES_DIR: z.string().min(1).default('./slides'),
  /** Course of the demo session opened by `npm start`. Default kasuhara. */
  DEMO_COURSE: z.string().min(1).default('kasuhara'),
  /**
   * A certificate and its key (PEM files) to serve HTTPS, so phones get a secure context (Wake Lock).
   * Both or neither. Default: plain HTTP.
   */
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  /** Joins a minute from one client address. Default 600, for a whole hall behind one NAT address. */
  JOINS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().positive().default(600),
  /**
   * Proxies in front of the server whose X-Forwarded-For is believed, as Express's `trust proxy`
   * (a hop count such as 1, or loopback). Default: none, so a client cannot choose its address.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d+|loopback|uniquelocal|linklocal)$/, { error: 'must be a number of hops or loopback / uniquelocal / linklocal' })
    .optional(),
  /**
   * The organizers' admin password (the all-sessions page and creating sessions). Default: generated on
   * the first start, printed once and kept hashed in DATA_DIR/admin-password.json.
   */
  ADMIN_PASSWORD: z.string().min(8, { error: 'must be at least 8 characters' }).max(200).optional(),
  /** Minutes between sweeps that delete sessions past their retention period. Default 60. */
  RETENTION_SWEEP_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  /**
   * `ipc`: answer the benchmark's questions (push timings, GC pauses, memory) over the IPC channel of
   * the parent process that started the server. Default `off`; never exposed on the network.
   */
  DIAGNOSTICS: z.enum(['off', 'ipc']).default('off'),
  /**
   * Seconds an ended session stays in memory once nobody is connected to it and nothing asked for it;
   * then it is unloaded, and read again from the database if someone opens it. Default 60.
   */
  ENDED_SESSION_UNLOAD_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(60),
  /**
   * Minutes a session that has not ended stays in memory with nobody connected and nothing asked for
   * it (a presenter's laptop asleep over lunch); then it is unloaded like an ended one. Default 15.
   */
  IDLE_SESSION_UNLOAD_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  /** The PostgreSQL database sessions are stored in; undefined: SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** This node's name in a cluster (and in `home` answers). */
  nodeId: string;
  /** Where clients reach this node directly; undefined: the public URL. */
  nodeUrl: string | undefined;
  coursesDir: string;
  demoCourse: string;
  /** Joins a minute from one client address. */
  joinsPerMinutePerAddress: number;
  /** The certificate and key to serve HTTPS with; undefined: plain HTTP. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** Express's `trust proxy` setting; undefined: the socket's own address is the client's. */
  trustProxy: number | string | undefined;
  adminPassword: string | undefined;
  retentionSweepMinutes: number;
  /** Whether the benchmark's diagnostics are answered over IPC. */
  diagnostics: 'off' | 'ipc';
  /** Seconds an ended session with nobody connected stays in memory after its last use. */
  endedSessionUnloadSeconds: number;
  /** Minutes a session that has not ended, with nobody connected, stays in memory after its last use. */
  idleSessionUnloadMinutes: number;
}

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  if ((values.TLS_CERT === undefined) !== (values.TLS_KEY === undefined)) {
    throw new ConfigError('Invalid configuration:\n  TLS_CERT, TLS_KEY: give both files, or neither');
  }
  return {
    port: values.PORT,
    host: values.HOST,
    publicUrl: values.PUBLIC_URL,
    dataDir: path.resolve(values.DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    nodeId: values.NODE_ID ?? `${os.hostname()}-${values.PORT}`,
    nodeUrl: values.NODE_URL?.replace(/\/+$/, ''),
    coursesDir: path.resolve(values.COURSES_DIR),
    demoCourse: values.DEMO_COURSE,
    joinsPerMinutePerAddress: values.JOINS_PER_MINUTE_PER_ADDRESS,
    tls: values.TLS_CERT && values.TLS_KEY ? { certFile: path.resolve(values.TLS_CERT), keyFile: path.resolve(values.TLS_KEY) } : undefined,
    trustProxy: values.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(values.TRUST_PROXY) ? Number(values.TRUST_PROXY) : values.TRUST_PROXY,
    adminPassword: values.ADMIN_PASSWORD,
    retentionSweepMinutes: values.RETENTION_SWEEP_MINUTES,
    diagnostics: values.DIAGNOSTICS,
    endedSessionUnloadSeconds: values.ENDED_SESSION_UNLOAD_SECONDS,
    idleSessionUnloadMinutes: values.IDLE_SESSION_UNLOAD_MINUTES,
  };
}
