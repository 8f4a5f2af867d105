/**
 * Tier 2: structures that hold a credential whatever its format: private-key blocks, credentials in URLs and
 * connection strings, `Authorization` headers, `curl -u user:pass`, password flags of CLI tools, Azure SAS
 * signatures. Each finder is called by the single-pass scan at one of its anchors and does bounded work.
 */
import { isKnownNonSecret, isPlaceholder, isUuid, isWordy, looksLikePassword, looksRandom } from './allowlist.js';
import {
  classCount,
  decodeBase64,
  entropy,
  isAlnum,
  isBlank,
  isEscapeLetter,
  isQuote,
  isSpace,
  isWordChar,
  lineBreakAt,
  quoteAt,
  quoteCharAt,
  skipBlanks,
} from './text.js';
import type { Finder, SpanSink } from './types.js';

const BACKSLASH = 0x5c;

// ---------------------------------------------------------------------------------------------------------------
// Private keys

/** Largest private-key block we look through for its END line (PGP blocks with subkeys run to tens of KB). */
const MAX_KEY_BLOCK = 256 * 1024;

function isBase64Char(c: number): boolean {
  return isAlnum(c) || c === 0x2b || c === 0x2f || c === 0x3d; // + / =
}

/** Skips what separates a BEGIN line from the body: line breaks (real or escaped), indentation, diff and quote marks. */
function skipLayout(text: string, p: number): number {
  const stop = Math.min(text.length, p + 256);
  while (p < stop) {
    const br = lineBreakAt(text, p);
    if (br > 0) {
      p += br;
      continue;
    }
    const c = text.charCodeAt(p);
    if (isBlank(c) || c === BACKSLASH || c === 0x2b /* + */ || c === 0x3e /* > */ || c === 0x7c /* | */) p++;
    else break;
  }
  return p;
}

/** Moves an END marker's index back over the line break, indentation and diff mark before it. */
function trimBeforeMarker(text: string, e: number, floor: number): number {
  for (;;) {
    if (e <= floor) return floor;
    const c = text.charCodeAt(e - 1);
    if (isSpace(c) || c === BACKSLASH) {
      e--;
      continue;
    }
    if (isEscapeLetter(text, e - 1)) {
      e -= 2;
      continue;
    }
    if (c === 0x2b /* + */ || c === 0x3e /* > */) {
      // a diff or quote mark, but only at the start of a line (a base64 line may end with +)
      const before = e - 2;
      if (before < floor || text.charCodeAt(before) === 0x0a || isEscapeLetter(text, before) || isBlank(text.charCodeAt(before))) {
        e--;
        continue;
      }
    }
    return e;
  }
}

/** End of a key body that has no END line (output cut short): base64 lines, however they are broken. */
function scanBodyWithoutEnd(text: string, p: number): number {
  const stop = Math.min(text.length, p + 64 * 1024);
  let lastB64 = p;
  while (p < stop) {
    const c = text.charCodeAt(p);
    if (isBase64Char(c)) {
      p++;
      lastB64 = p;
      continue;
    }
    const br = lineBreakAt(text, p);
    if (br > 0) {
      p += br;
      continue;
    }
    if (isBlank(c)) {
      p++;
      continue;
    }
    break;
  }
  return lastB64;
}

/** A key body has at least 64 base64 characters of high entropy (placeholders such as `...` or `xxx` do not). */
function looksLikeKeyBody(text: string, start: number, end: number): boolean {
  let count = 0;
  let sample = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      if (isEscapeLetter(text, i + 1)) i++;
      continue;
    }
    if (isBase64Char(c)) {
      count++;
      if (sample.length < 256) sample += text[i];
    }
  }
  // 4 bits per character or more: base64 (about 6) and hex (about 4) bodies, not `xxx` or `...`
  return count >= 64 && entropy(sample) >= 3.7;
}

function nextEndMarker(text: string, from: number, sink: SpanSink): number {
  if (sink.endFrom >= 0 && from >= sink.endFrom && (sink.endAt === -1 || sink.endAt >= from)) return sink.endAt;
  const at = text.indexOf('-----END', from);
  sink.endFrom = from;
  sink.endAt = at;
  return at;
}

/**
 * `-----BEGIN … PRIVATE KEY-----` (PKCS#1/#8, EC, DSA, OpenSSH, encrypted, PGP blocks), in plain text, YAML, diffs
 * or JSON strings whose newlines are `\n` escapes. The span is the body between the BEGIN and END lines.
 */
export const findPrivateKeyBlock: Finder = (text, at, anchor, sink) => {
  if (at < sink.tokenFloor) return;
  let p = at + anchor.length;
  if (text.charCodeAt(p) !== 0x20) return;
  const labelStart = p + 1;
  p = labelStart;
  while (p < text.length && p - labelStart < 64) {
    const c = text.charCodeAt(p);
    if (isAlnum(c) || c === 0x20) p++;
    else break;
  }
  if (!text.startsWith('-----', p)) return;
  const label = text.slice(labelStart, p);
  if (!label.includes('PRIVATE KEY') && !label.startsWith('OpenVPN Static key')) return;
  const headerEnd = p + 5;
  const bodyStart = skipLayout(text, headerEnd);
  const end = nextEndMarker(text, headerEnd, sink);
  const bodyEnd =
    end >= 0 && end - headerEnd <= MAX_KEY_BLOCK ? trimBeforeMarker(text, end, bodyStart) : scanBodyWithoutEnd(text, bodyStart);
  if (!looksLikeKeyBody(text, bodyStart, bodyEnd)) return;
  sink.add(bodyStart, bodyEnd, 'private-key', 'structure');
  sink.tokenFloor = Math.max(sink.tokenFloor, bodyEnd);
  sink.keyFloor = Math.max(sink.keyFloor, bodyEnd);
};

/** A PEM private key encoded once more in base64, as in kubeconfig `client-key-data:` (`LS0tLS1CRUdJTi…`). */
export const findBase64PrivateKey: Finder = (text, at, _anchor, sink) => {
  if (at < sink.tokenFloor) return;
  if (at > 0 && isBase64Char(text.charCodeAt(at - 1)) && !isEscapeLetter(text, at - 1)) return;
  const stop = Math.min(text.length, at + 256 * 1024);
  let e = at;
  while (e < stop && isBase64Char(text.charCodeAt(e))) e++;
  const head = decodeBase64(text.slice(at, at + Math.min(e - at, 120) - (Math.min(e - at, 120) % 4)));
  if (head === null || !/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(head)) return;
  if (e - at < 120) return;
  sink.add(at, e, 'private-key', 'structure');
  sink.tokenFloor = Math.max(sink.tokenFloor, e);
  sink.keyFloor = Math.max(sink.keyFloor, e);
};

/** A PuTTY `.ppk` file: the `Private-Lines: N` lines that follow are the private key. */
export const findPuttyPrivateLines: Finder = (text, at, anchor, sink) => {
  let p = skipBlanks(text, at + anchor.length);
  let n = 0;
  while (p < text.length && text.charCodeAt(p) >= 0x30 && text.charCodeAt(p) <= 0x39 && n < 1000) n = n * 10 + (text.charCodeAt(p++) - 0x30);
  if (n === 0 || n > 200) return;
  const br = lineBreakAt(text, p);
  if (br === 0) return;
  const start = p + br;
  let e = start;
  for (let line = 0; line < n; line++) {
    while (e < text.length && isBase64Char(text.charCodeAt(e))) e++;
    if (line < n - 1) {
      const b = lineBreakAt(text, e);
      if (b === 0) break;
      e += b;
    }
  }
  if (!looksLikeKeyBody(text, start, e)) return;
  sink.add(start, e, 'private-key', 'structure');
};

// ---------------------------------------------------------------------------------------------------------------
// Credentials in URLs

const DB_SCHEMES = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'amqp', 'amqps',
  'mssql', 'sqlserver', 'oracle', 'cockroachdb', 'clickhouse', 'couchdb', 'neo4j', 'neo4j+s', 'bolt', 'cassandra',
  'memcached', 'elasticsearch', 'nats', 'kafka', 'mqtt', 'mqtts', 'db2', 'snowflake', 'influxdb', 'rethinkdb',
]);

function isUserinfoChar(c: number): boolean {
  // anything but the delimiters of a URL's authority, white space, quotes and escapes
  return !(
    isSpace(c) || c === 0x3a || c === 0x2f || c === 0x3f || c === 0x23 || c === 0x40 || isQuote(c) || c === BACKSLASH ||
    c === 0x3c || c === 0x3e
  );
}

function isPasswordCharInUrl(c: number): boolean {
  return !(isSpace(c) || c === 0x2f || isQuote(c) || c === BACKSLASH || c === 0x3c || c === 0x3e);
}

/**
 * `scheme://user:password@host` in any scheme (HTTP basic auth, databases, brokers, SMTP, FTP, git remotes). Only
 * the password is the secret; users and hosts stay readable. Templates (`${PASS}`, `{password}`), the literal word
 * `password` and a password equal to its user are placeholders.
 */
export const findUrlCredentials: Finder = (text, at, anchor, sink) => {
  // scheme
  let s = at;
  const stop = Math.max(0, at - 32);
  while (s > stop) {
    const c = text.charCodeAt(s - 1);
    if (isAlnum(c) || c === 0x2b || c === 0x2e || c === 0x2d) s--;
    else break;
  }
  if (at - s < 2) return;
  const scheme = text.slice(s, at).toLowerCase();
  // user
  const userStart = at + anchor.length;
  let p = userStart;
  const userStop = Math.min(text.length, p + 256);
  while (p < userStop && isUserinfoChar(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) !== 0x3a /* : */) return;
  const user = text.slice(userStart, p);
  const pwStart = p + 1;
  // password: up to the last @ before the URL's path, white space or closing quote
  let q = pwStart;
  let lastAt = -1;
  const pwStop = Math.min(text.length, pwStart + 256);
  while (q < pwStop && isPasswordCharInUrl(text.charCodeAt(q))) {
    if (text.charCodeAt(q) === 0x40) lastAt = q;
    q++;
  }
  if (lastAt <= pwStart) return;
  const h = text.charCodeAt(lastAt + 1);
  if (!(isAlnum(h) || h === 0x5b /* [ */)) return;
  const password = text.slice(pwStart, lastAt);
  if (password.length < 6 || password === user) return;
  if (isPlaceholder(password) || /[${}()<>]/.test(user)) return;
  if (/[${}()<>]/.test(password[0]) || password.includes('${') || password.includes('{{')) return;
  const kind = DB_SCHEMES.has(scheme) || scheme.startsWith('jdbc') ? 'connection-string-password' : 'url-password';
  sink.add(pwStart, lastAt, kind, 'structure');
  sink.keyFloor = Math.max(sink.keyFloor, lastAt);
};

// ---------------------------------------------------------------------------------------------------------------
// Authorization headers and bearer tokens

function isCredentialChar(c: number): boolean {
  // RFC 7235 token68 plus the characters providers put in API keys
  return isAlnum(c) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e || c === 0x2b || c === 0x2f || c === 0x3d ||
    c === 0x3a || c === 0x7c || c === 0x25;
}

/** End of the credential at `p`: token68 characters, or — inside a quoted header value — anything up to the quote. */
function readCredential(text: string, p: number, quote = 0): number {
  const stop = Math.min(text.length, p + 8192);
  if (quote !== 0) {
    while (p < stop) {
      const c = text.charCodeAt(p);
      if (c === quote || c === BACKSLASH || isSpace(c)) break;
      p++;
    }
    return p;
  }
  while (p < stop && isCredentialChar(text.charCodeAt(p))) p++;
  return p;
}

const SCHEMES: Record<string, string> = {
  bearer: 'bearer-token', token: 'bearer-token', bot: 'bearer-token', ssws: 'bearer-token', geniekey: 'bearer-token',
  'api-key': 'bearer-token', apikey: 'bearer-token', key: 'bearer-token', jwt: 'bearer-token', oauth: 'bearer-token',
  splunk: 'bearer-token', 'zoho-oauthtoken': 'bearer-token', sharedaccesssignature: 'bearer-token', basic: 'basic-auth',
};
/** Schemes whose parameters are not one credential (request signatures, challenge data). */
const SIGNED_SCHEMES = new Set(['digest', 'negotiate', 'ntlm', 'aws4-hmac-sha256', 'hawk', 'mac', 'hoba', 'signature']);

/**
 * A credential taken from an auth header: token-like (digits among its characters, or long and of mixed case), not a
 * placeholder, not a word (`Bearer undefined`, `Authorization: Bearer Authorization:`).
 */
function acceptCredential(cred: string, scheme: string | null): boolean {
  if (cred.length < 8 || !/\d/.test(cred) && !(cred.length >= 20 && /[a-z]/.test(cred) && /[A-Z]/.test(cred))) return false;
  if (isPlaceholder(cred)) return false;
  if (scheme === 'basic') return classCount(cred) >= 2 && decodeBase64(cred) !== null;
  if (scheme !== null) return isUuid(cred) || (classCount(cred) >= 2 && entropy(cred) >= 2.8 && !isWordy(cred)) || looksRandom(cred);
  return isUuid(cred) || looksRandom(cred);
}

/** Parses `[scheme ]credential` at `p` (inside a value quoted with `quote`, if not 0); adds the credential. */
function credentialAfter(text: string, p: number, sink: SpanSink, requireScheme: boolean, quote: number): void {
  p = skipBlanks(text, p, 8);
  let w = p;
  while (w < text.length && w - p < 32 && (isAlnum(text.charCodeAt(w)) || text.charCodeAt(w) === 0x2d)) w++;
  let scheme: string | null = null;
  if (w > p && isBlank(text.charCodeAt(w))) {
    const word = text.slice(p, w).toLowerCase();
    if (SIGNED_SCHEMES.has(word)) return;
    if (word in SCHEMES) {
      scheme = word;
      p = skipBlanks(text, w, 8);
    }
  }
  if (requireScheme && scheme === null) return;
  const e = readCredential(text, p, quote);
  const cred = text.slice(p, e);
  if (!acceptCredential(cred, scheme)) return;
  sink.add(p, e, scheme === null ? 'auth-header' : SCHEMES[scheme], 'structure');
  sink.keyFloor = Math.max(sink.keyFloor, e);
}

/**
 * `Authorization: <scheme> <credential>` as an HTTP header, a curl `-H`, a JSON/Python/JS headers object, escaped or
 * not. Schemes that carry request signatures (Digest, AWS4-HMAC-SHA256) are skipped.
 */
export const findAuthorizationHeader: Finder = (text, at, anchor, sink) => {
  let p = at + anchor.length;
  p += quoteAt(text, p);
  p = skipBlanks(text, p, 4);
  const c = text.charCodeAt(p);
  if (c === 0x3a /* : */) p++;
  else if (c === 0x3d /* = */) p += text.charCodeAt(p + 1) === 0x3e ? 2 : 1;
  else return;
  p = skipBlanks(text, p, 4);
  if (text.charCodeAt(p) === 0x66 /* f-string */ && quoteAt(text, p + 1) > 0) p++;
  const q = quoteAt(text, p);
  const quote = q > 0 ? quoteCharAt(text, p, q) : 0;
  credentialAfter(text, p + q, sink, false, quote);
};

/** `Bearer <token>` wherever it appears (a header built in code, a log line). */
export const findBearer: Finder = (text, at, anchor, sink) => {
  if (at > 0 && isWordChar(text.charCodeAt(at - 1)) && !isEscapeLetter(text, at - 1)) return;
  const p = at + anchor.length;
  if (!isBlank(text.charCodeAt(p))) return;
  const s = skipBlanks(text, p, 4);
  const e = readCredential(text, s);
  const cred = text.slice(s, e);
  if (cred.length < 16 || !acceptCredential(cred, 'bearer')) return;
  if (!looksRandom(cred) && !isUuid(cred) && !cred.includes('.')) return;
  sink.add(s, e, 'bearer-token', 'structure');
};

// ---------------------------------------------------------------------------------------------------------------
// Command lines

interface ShellWord {
  value: string;
  /** Index in the text of each character of `value`. */
  positions: number[];
  end: number;
}

/**
 * Reads one shell word at `p`: unquoted runs and quoted parts (`'…'`, `"…"`, and their JSON-escaped forms `\"…\"`)
 * glued together, as the shell would see it. Null for an empty word or an unterminated quote. All quotes of a word
 * are escaped alike: in a JSONL line, `\"` around a shell string is one level and a bare `"` ends the JSON string.
 */
export function readShellWord(text: string, p: number, max = 512): ShellWord | null {
  const value: string[] = [];
  const positions: number[] = [];
  const stop = Math.min(text.length, p + max);
  let level = -1;
  while (p < stop) {
    const q = quoteAt(text, p);
    if (q > 0) {
      if (level >= 0 && q !== level) break;
      level = q;
      const qc = quoteCharAt(text, p, q);
      let i = p + q;
      while (i < stop && text.charCodeAt(i) !== qc && text.charCodeAt(i) !== BACKSLASH && text.charCodeAt(i) !== 0x0a) {
        value.push(text[i]);
        positions.push(i);
        i++;
      }
      // the closing quote, possibly escaped like the opening one
      const close = quoteAt(text, i);
      if (close !== q || quoteCharAt(text, i, close) !== qc) return null;
      p = i + close;
      continue;
    }
    const c = text.charCodeAt(p);
    if (isSpace(c) || c === BACKSLASH || c === 0x3b || c === 0x7c || c === 0x26 || c === 0x3c || c === 0x3e || c === 0x28 || c === 0x29) break;
    value.push(text[p]);
    positions.push(p);
    p++;
  }
  if (value.length === 0) return null;
  return { value: value.join(''), positions, end: p };
}

/** Characters that end a simple command: line breaks, `;`, `|`, `&`, `(`, backticks, quotes and escapes. */
function isCommandBoundary(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x0a || c === 0x3b || c === 0x7c || c === 0x26 || c === 0x28 || c === 0x60 || isQuote(c) || c === BACKSLASH || isEscapeLetter(text, i);
}

/** Longest command prefix looked at before a flag. */
const MAX_COMMAND = 300;

/**
 * Start of the simple command that contains `at`, or -1 when it is longer than MAX_COMMAND. Consecutive flags of one
 * command share the scan: the text between two calls is looked at once, so a line of a million flags stays linear.
 */
function commandStart(text: string, at: number, sink: SpanSink): number {
  const limit = Math.max(0, at - MAX_COMMAND);
  const cached = sink.commandFrom >= 0 && sink.commandFrom < at && sink.commandFrom >= limit;
  const floor = cached ? sink.commandFrom : limit;
  let s = at;
  while (s > floor && !isCommandBoundary(text, s - 1)) s--;
  let start: number;
  if (s > floor || s === 0) start = s;
  else if (cached) start = sink.commandAt >= limit ? sink.commandAt : -1;
  else start = -1;
  sink.commandFrom = at;
  sink.commandAt = start;
  return start;
}

/**
 * The words of the simple command that contains `at`, up to `at`, without prompt, `sudo`, `env` and variable
 * assignments: `$ sudo docker login -u bot -p` → docker login -u bot. The first is the command's basename.
 */
export function commandWords(text: string, at: number, sink: SpanSink): string[] {
  const s = commandStart(text, at, sink);
  if (s < 0) return [];
  const words = text.slice(s, at).trim().split(/\s+/).filter((w) => w.length > 0);
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (w === '$' || w === '#' || w === '>' || w === '%' || w === 'sudo' || w === 'env' || w === 'time' || w === 'exec' || w === 'nohup' || /^[A-Za-z_]\w*=/.test(w)) i++;
    else break;
  }
  const rest = words.slice(i);
  if (rest.length > 0) rest[0] = rest[0].slice(rest[0].lastIndexOf('/') + 1);
  return rest;
}

/** Whether `v` can be a password given on a command line. */
function acceptCliPassword(v: string): boolean {
  return !v.startsWith('-') && !isPlaceholder(v) && !isKnownNonSecret(v) && (looksLikePassword(v) || looksRandom(v));
}

/** `curl -u user:password`, `--user 'user:password'`, `http -a user:password`, `--auth user:password`. */
export const findUserPassword: Finder = (text, at, anchor, sink) => {
  if (!isBlank(anchor.charCodeAt(0)) && at > 0 && !isBlank(text.charCodeAt(at - 1)) && !isQuote(text.charCodeAt(at - 1))) return;
  let p = at + anchor.length;
  const c = text.charCodeAt(p);
  if (c === 0x3d /* = */) p++;
  else if (isBlank(c)) p = skipBlanks(text, p, 4);
  else return;
  const word = readShellWord(text, p);
  if (word === null) return;
  const colon = word.value.indexOf(':');
  if (colon < 0) return;
  const user = word.value.slice(0, colon);
  const pw = word.value.slice(colon + 1);
  if (pw.length === 0 || pw === user || /[${}]/.test(user) || !acceptCliPassword(pw)) return;
  sink.add(word.positions[colon + 1], word.positions[word.positions.length - 1] + 1, 'password', 'structure');
};

interface PasswordFlag {
  /** Commands that take the password as the next word (`-p PASS`). */
  spaced: readonly string[];
  /** Commands that take it glued to the flag (`-pPASS`). */
  glued: readonly string[];
  /** For multi-purpose tools, a subcommand that must precede the flag (`docker login`, not `docker run -p 80:80`). */
  subcommand?: Readonly<Record<string, string>>;
}

/** Which commands take a password after a short flag. */
const PASSWORD_FLAGS: Record<string, PasswordFlag> = {
  '-p': {
    spaced: [
      'sshpass', 'docker', 'podman', 'nerdctl', 'buildah', 'skopeo', 'oras', 'helm', 'oc', 'az', 'mongo', 'mongosh',
      'mongodump', 'mongorestore', 'mongoexport', 'mongoimport', 'rabbitmqadmin', 'crane', 'regctl',
    ],
    glued: ['mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'mariadb-dump', 'sshpass', '7z', '7za'],
    subcommand: {
      docker: 'login', podman: 'login', nerdctl: 'login', buildah: 'login', skopeo: 'login', oras: 'login', helm: 'login',
      oc: 'login', az: 'login', crane: 'login', regctl: 'login',
    },
  },
  '-P': { spaced: ['sqlcmd', 'bcp', 'unzip', 'zip'], glued: ['unzip', 'zip'] },
  '-a': { spaced: ['redis-cli', 'keydb-cli'], glued: [] },
  '-w': { spaced: ['ldapsearch', 'ldapadd', 'ldapmodify', 'ldapdelete', 'ldapwhoami', 'ldappasswd', 'ldapcompare'], glued: [] },
};

/** `sshpass -p PASS`, `docker login -p PASS`, `mysql -pPASS`, `redis-cli -a PASS`, `ldapsearch -w PASS`. */
export const findPasswordFlag: Finder = (text, at, anchor, sink) => {
  const spec = PASSWORD_FLAGS[anchor.trim()];
  if (!spec) return;
  const after = at + anchor.length;
  const glued = after < text.length && !isSpace(text.charCodeAt(after)) && text.charCodeAt(after) !== BACKSLASH;
  const words = commandWords(text, at, sink);
  const cmd = words[0] ?? '';
  if (!(glued ? spec.glued : spec.spaced).includes(cmd)) return;
  const sub = spec.subcommand?.[cmd];
  if (sub !== undefined && !words.includes(sub)) return;
  const word = readShellWord(text, glued ? after : skipBlanks(text, after, 4));
  if (word === null || /^\d+(?::\d+)+$/.test(word.value) || !acceptCliPassword(word.value)) return;
  sink.add(word.positions[0], word.positions[word.positions.length - 1] + 1, 'password', 'structure');
};

/** Prose credentials: "the admin login is svc_orders / V7KfC2pCO5LL". */
export const findLoginPair: Finder = (text, at, anchor, sink) => {
  if (at > 0 && isWordChar(text.charCodeAt(at - 1)) && !isEscapeLetter(text, at - 1)) return;
  let p = at + anchor.length;
  if (isWordChar(text.charCodeAt(p))) return;
  p = skipBlanks(text, p, 4);
  const m = /^(?:is|are|was|:|=)?[ \t]*([A-Za-z0-9._@+-]{1,64})[ \t]*\/[ \t]*/.exec(text.slice(p, p + 160));
  if (m === null) return;
  const s = p + m[0].length;
  let e = s;
  const stop = Math.min(text.length, s + 128);
  while (e < stop && !isSpace(text.charCodeAt(e)) && !isQuote(text.charCodeAt(e)) && text.charCodeAt(e) !== BACKSLASH) e++;
  while (e > s && /[.,;:]/.test(text[e - 1])) e--;
  const pw = text.slice(s, e);
  if (classCount(pw) < 2 || !acceptCliPassword(pw)) return;
  sink.add(s, e, 'password', 'structure');
};

/** SQL: `CREATE USER … IDENTIFIED BY 'pass'`, `ALTER ROLE … PASSWORD 'pass'`. */
export const findSqlPassword: Finder = (text, at, anchor, sink) => {
  const p = skipBlanks(text, at + anchor.length, 4);
  const q = quoteAt(text, p);
  if (q === 0 || quoteCharAt(text, p, q) === 0x60 /* ` */) return;
  const word = readShellWord(text, p, 256);
  if (word === null || !acceptCliPassword(word.value)) return;
  sink.add(word.positions[0], word.positions[word.positions.length - 1] + 1, 'password', 'structure');
};

/** The `sig` of an Azure SAS token in a URL or connection string (`?sv=…&sig=…`). */
export const findSasSignature: Finder = (text, at, anchor, sink) => {
  const before = at > 0 ? text.charCodeAt(at - 1) : 0;
  if (before !== 0x3f && before !== 0x26 && before !== 0x3b) return; // ? & ;
  const s = at + anchor.length;
  let e = s;
  const stop = Math.min(text.length, s + 512);
  while (e < stop) {
    const c = text.charCodeAt(e);
    if (isAlnum(c) || c === 0x25 || c === 0x2b || c === 0x2f || c === 0x3d || c === 0x5f || c === 0x2d) e++;
    else break;
  }
  const sig = text.slice(s, e);
  if (sig.length < 16 || isPlaceholder(sig) || entropy(sig) < 3.5) return;
  sink.add(s, e, 'azure-sas-signature', 'structure');
};

/**
 * A 40-character base64 value with `/` or `+` in it, assigned to anything (`mimi=…`, `key: '…'`): the shape of an AWS
 * secret access key, which other values of that exact length and alphabet rarely have (digests are 28 or 44 long).
 */
export const findAwsSecretShape: Finder = (text, at, anchor, sink) => {
  if (at > 0 && (text.charCodeAt(at - 1) === 0x3d || text.charCodeAt(at - 1) === 0x21)) return; // == !=
  let p = skipBlanks(text, at + anchor.length, 4);
  p += quoteAt(text, p);
  // most `=` are followed by something else: check the 40th character before reading the value
  if (!isBase64Char(text.charCodeAt(p + 39)) || isBase64Char(text.charCodeAt(p + 40))) return;
  const stop = Math.min(text.length, p + 41);
  let e = p;
  let slashOrPlus = false;
  while (e < stop) {
    const c = text.charCodeAt(e);
    if (isAlnum(c)) e++;
    else if (c === 0x2f || c === 0x2b) {
      slashOrPlus = true;
      e++;
    } else break;
  }
  if (e - p !== 40 || !slashOrPlus) return;
  if (e < text.length && (isBase64Char(text.charCodeAt(e)) || text.charCodeAt(e) === 0x2d || text.charCodeAt(e) === 0x5f)) return;
  const v = text.slice(p, e);
  if (classCount(v) < 4 || entropy(v) < 4.2 || isPlaceholder(v)) return;
  sink.add(p, e, 'aws-secret-access-key', 'structure');
};
