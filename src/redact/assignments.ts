/**
 * Tier 3: secret-named assignments. A keyword anchor (`pass`, `secret`, `token`, `key`, `auth`, …) leads to the
 * whole identifier around it; when that identifier names a secret and is assigned a literal, the literal is the
 * secret — provided it looks like one: placeholders, code references, ids, paths and low-entropy words are not.
 *
 * Syntaxes: `.env`/shell `KEY=value` and `export KEY="value"`, YAML `key: value` (and a value on the next line under
 * a secret-named parent), JSON `"key": "value"`, code `key = "value"`, `key := "…"`, `'key' => '…'`,
 * `getenv("KEY", "default")`, `x ?? "default"`, comparisons `pass !== "…"`, XML `<password>…</password>` and
 * `key="password" value="…"`, k8s `name: DB_PASSWORD` / `value: …`, CLI `--password value`, prose
 * "the password is …" and "`GH_TOKEN` is set to `…`". Works on raw JSONL lines: escaped quotes and `\n` are
 * boundaries, never part of a key or a value.
 */
import {
  isConstantName,
  isDigestHex,
  isDottedIdentifier,
  isIdentifierLike,
  isKnownNonSecret,
  isNumberLiteral,
  isPlaceholder,
  isUuid,
  looksLikePassword,
  looksRandom,
} from './allowlist.js';
import { classCount, decodeBase64, isAlnum, isBlank, isEscapeLetter, isQuote, isSpace, lineBreakAt, quoteAt, quoteCharAt, skipBlanks } from './text.js';
import type { Finder, SpanSink } from './types.js';

const BACKSLASH = 0x5c;

/** How strongly an identifier names a secret. `weak`: a bare `key` or `auth`, whose value must prove itself. */
export type KeyClass = 'password' | 'secret' | 'weak';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'passcode', 'pwd', 'pass', 'pw', 'passw', 'pword', 'pswd', 'mnemonic', 'seedphrase']);
const PASSWORD_PARTS = ['password', 'passwd', 'passphrase'];
const SECRET_WORDS = new Set(['secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'creds', 'cred', 'bearer', 'hmac', 'jwt']);
/** `pat` is a personal access token after these (`ADO_PAT`, `gh_pat`), an abbreviation of "pattern" elsewhere. */
const PAT_OWNERS = new Set(['gh', 'github', 'gitlab', 'gl', 'ado', 'devops', 'azure', 'ext', 'personal', 'bitbucket', 'hf', 'access', 'api', 'git', 'vsts', 'tfs', 'docker', 'dockerhub', 'npm', 'cf', 'figma', 'sonar', 'snyk']);
const SECRET_PARTS = ['secret', 'token', 'apikey', 'credential'];
/** Words that contain a secret word without meaning one. */
const FALSE_FRIENDS = new Set([
  'tokenizer', 'tokenizers', 'tokenize', 'tokenized', 'tokenization', 'tokens', 'detokenize', 'secretary', 'secretariat',
  'passenger', 'passengers', 'passage', 'passages', 'passing', 'passive', 'bypass', 'compass', 'passed', 'passes',
  'passport', 'passthrough', 'csrftoken', 'xsrftoken', 'secretlint', 'passwordless', 'pathname', 'patch', 'path',
  'pattern', 'patterns',
]);
/** Segments after which `key` is a lookup key, not a credential (`primary_key`, `cache_key`, `sort_key`). */
const KEY_NOT_CREDENTIAL = new Set([
  'public', 'pub', 'primary', 'foreign', 'sort', 'partition', 'cache', 'idempotency', 'idempotence', 'object', 's3',
  'bucket', 'schema', 'sequence', 'map', 'dict', 'hash', 'range', 'row', 'lookup', 'unique', 'i18n', 'translation',
  'locale', 'sql', 'composite', 'natural', 'surrogate', 'index', 'idx', 'hot', 'react', 'list', 'item', 'cursor',
  'page', 'pagination', 'next', 'prev', 'last', 'first', 'group', 'registry', 'label', 'tag', 'query', 'search',
  'order', 'message', 'msg', 'file', 'path', 'redis', 'kv', 'dynamo', 'metadata', 'meta', 'header', 'field',
  'column', 'attribute', 'attr', 'property', 'prop', 'param', 'option', 'menu', 'shortcut', 'keyboard', 'route',
  'cell', 'node', 'entry', 'record', 'table', 'state', 'store', 'storage_prefix', 'sorting', 'dedupe', 'dedup',
  'join', 'lock', 'mutex', 'shard', 'tenant', 'user', 'event', 'blob', 'asset', 'image', 'cdn', 'config', 'setting',
  'settings', 'env', 'var', 'name', 'kms', 'ssh', 'gpg', 'pgp', 'rsa', 'ecdsa', 'ed25519', 'this', 'self', 'my', 'the',
]);
/** `…key` compounds that are credentials: `accesskey`, `secretkey`, `apikey`, `privatekey`, `accountkey`. */
const KEY_COMPOUND = new Set([
  'access', 'secret', 'api', 'private', 'master', 'hmac', 'signing', 'encryption', 'client', 'app', 'auth', 'license',
  'admin', 'service', 'account', 'shared', 'session', 'deploy', 'webhook', 'consumer', 'storage', 'subscription',
  'function', 'ingest', 'server', 'rest', 'sas', 'sharedaccess', 'secretaccess', 'root', 'write', 'enc', 'crypt',
  'crypto', 'sign', 'jwt', 'cookie', 'bot', 'sdk', 'live', 'age',
]);
/** Any of these segments makes an identifier public or not a credential at all. */
const DENY_ANY = new Set([
  'public', 'pub', 'publishable', 'csrf', 'xsrf', 'kms', 'example', 'sample', 'dummy', 'fake', 'mock', 'placeholder',
  'fingerprint', 'checksum', 'hint', 'masked', 'redacted', 'sha', 'md5', 'sha1', 'sha256', 'sha512', 'hashed', 'nonce',
  'idempotency', 'i18n', 'translation', 'keyboard', 'shortcut', 'keymap', 'keypress', 'keycode', 'keydown', 'keyup',
  'keyframe', 'keyframes', 'keystroke', 'keychain', 'keyword', 'keywords', 'keyspace', 'monkey',
  'turkey', 'jockey', 'hockey', 'whiskey', 'donkey', 'lackey',
]);
/** Last segments that make an identifier describe a secret rather than hold one (`token_url`, `secret_length`). */
const DENY_LAST = new Set([
  'id', 'ids', 'uuid', 'guid', 'name', 'names', 'type', 'types', 'kind', 'length', 'len', 'size', 'count', 'min', 'max',
  'limit', 'limits', 'file', 'filename', 'files', 'path', 'paths', 'dir', 'directory', 'folder', 'url', 'uri', 'urls',
  'uris', 'endpoint', 'endpoints', 'host', 'hostname', 'port', 'server', 'version', 'versions', 'format', 'field',
  'fields', 'prefix', 'suffix', 'header', 'headers', 'param', 'params', 'parameter', 'label', 'labels', 'var', 'vars',
  'variable', 'variables', 'policy', 'policies', 'pattern', 'regex', 'regexp', 'rule', 'rules', 'expiry', 'expires',
  'expiration', 'exp', 'ttl', 'timeout', 'lifetime', 'rotation', 'reset', 'strength', 'validation', 'validator',
  'valid', 'required', 'enabled', 'enable', 'disabled', 'disable', 'mode', 'location', 'source', 'schema', 'status',
  'usage', 'alias', 'aliases', 'store', 'storetype', 'keystore', 'keytab', 'hash', 'digest', 'column', 'columns', 'input', 'output',
  'error', 'errors', 'message', 'messages', 'msg', 'text', 'title', 'description', 'desc', 'help', 'button', 'form',
  'prompt', 'manager', 'provider', 'generator', 'factory', 'class', 'handler', 'helper', 'util', 'utils', 'option',
  'options', 'number', 'num', 'chars', 'charset', 'alphabet', 'bits', 'bytes', 'algorithm', 'algorithms', 'algo',
  'method', 'methods', 'scheme', 'strategy', 'ref', 'reference', 'references', 'arn', 'stdin', 'env', 'set', 'list',
  'map', 'dict', 'array', 'index', 'idx', 'at', 'on', 'by', 'in', 'to', 'event', 'events', 'pressed', 'press', 'up',
  'down', 'left', 'right', 'mesh', 'meshing', 'board', 'code', 'frame', 'pair', 'ring', 'selector', 'stone', 'word',
  'words', 'space', 'chain', 'stroke', 'binding', 'bindings', 'signature', 'signatures', 'config', 'configuration',
  'settings', 'setting', 'template', 'callback', 'request', 'response', 'info', 'details', 'detail', 'meta',
  'metadata', 'spec', 'stats', 'metrics', 'quota', 'budget', 'cost', 'price', 'rate', 'total', 'used', 'remaining',
  'balance', 'window', 'delay', 'interval', 'encoding', 'attribute', 'attr', 'property', 'audience', 'issuer',
  'scope', 'scopes', 'claim', 'claims', 'flow', 'grant', 'created', 'updated', 'modified', 'timestamp', 'date',
  'time', 'cmd', 'command', 'script', 'vault', 'rotated', 'last', 'check', 'checker', 'test', 'tests', 'spec',
  'validate', 'verify', 'verified', 'confirm', 'confirmation', 'again', 'repeat', 'old', 'policy', 'rules', 'min',
  'hashing', 'hasher', 'encoder', 'decoder', 'parser', 'service', 'client', 'bucket', 'arg', 'args', 'argument',
  'arguments', 'flag', 'flags', 'through', 'thru', 'fail', 'failed', 'failure', 'depth', 'op', 'ops', 'func', 'fn', 'mgr',
]);

/** Verbs that make `name(…)` a function working on a secret rather than a constructor holding one. */
const PAREN_VERBS = new Set([
  'split', 'parse', 'validate', 'check', 'verify', 'hash', 'encode', 'decode', 'compare', 'strip', 'mask', 'redact',
  'format', 'print', 'log', 'read', 'load', 'get', 'find', 'lookup', 'is', 'has', 'encrypt', 'decrypt', 'sanitize',
  'test', 'assert', 'expect', 'describe', 'it', 'generate', 'gen', 'random', 'create', 'make', 'rotate', 'revoke',
  'delete', 'remove', 'fetch', 'request', 'prompt', 'ask', 'input', 'escape', 'quote', 'normalize', 'to', 'from',
]);

/** A single secret (`keyStorePassword`), not a place for several (`keyVaultToStoreSecrets`). */
function isSecretWord(s: string): boolean {
  return PASSWORD_WORDS.has(s) || s === 'secret' || s === 'token' || s.endsWith('password');
}

/** An identifier's words, lower-cased: `azureClientSecret` → azure client secret, `DD-API-KEY` → dd api key. */
export function keySegments(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s.length > 0)
    .map((s) => {
      const lower = s.toLowerCase();
      const bare = lower.replace(/\d+$/, '');
      return bare.length >= 2 ? bare : lower;
    });
}

/** Identifiers repeat (a log has thousands of `"token":`); their classification is cached, in bounded memory. */
const classified = new Map<string, KeyClass | null>();

/** Whether an identifier names a secret, and how strongly; null when it does not or names something about one. */
export function classifyKey(key: string): KeyClass | null {
  const hit = classified.get(key);
  if (hit !== undefined) return hit;
  const cls = classifySegments(keySegments(key));
  if (classified.size >= 4096) classified.clear();
  classified.set(key, cls);
  return cls;
}

function classifySegments(segs: string[]): KeyClass | null {
  if (segs.length === 0 || segs.length > 6) return null;
  for (const s of segs) if (DENY_ANY.has(s)) return null;
  if (DENY_LAST.has(segs[segs.length - 1])) return null;
  let cls: KeyClass | null = null;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (FALSE_FRIENDS.has(s)) continue;
    // Azure Key Vault and Java key stores are places, not secrets — unless the name ends in one (`keyStorePassword`)
    if (s === 'key' && (segs[i + 1] === 'vault' || segs[i + 1] === 'store') && !isSecretWord(segs[segs.length - 1])) return null;
    if (PASSWORD_WORDS.has(s) || PASSWORD_PARTS.some((w) => s.includes(w))) return 'password';
    if (SECRET_WORDS.has(s) || SECRET_PARTS.some((w) => s.includes(w))) cls = 'secret';
    else if (s === 'pat' && (segs.length === 1 || PAT_OWNERS.has(segs[i - 1]))) cls = 'secret';
    else if (s === 'key' || s === 'keys') {
      // `primaryKey`, `cache_key`: a lookup key; a bare `key` must prove itself by its value
      if (i > 0 && KEY_NOT_CREDENTIAL.has(segs[i - 1])) continue;
      // `--recv-keys`, `public_keys`: several keys are ids or public material unless named for a credential
      if (s === 'keys' && !(i > 0 && KEY_COMPOUND.has(segs[i - 1]))) continue;
      if (i > 0) cls = 'secret';
      else if (cls === null) cls = 'weak';
    } else if (s.length > 3 && s.endsWith('key') && KEY_COMPOUND.has(s.slice(0, -3))) cls = 'secret';
    else if (s === 'auth' && cls === null) cls = 'weak';
  }
  return cls;
}

function kindFor(key: string, cls: KeyClass): string {
  const k = key.toLowerCase().replace(/[^a-z]/g, '');
  if (k.endsWith('sharedaccesskey')) return 'azure-sas-key';
  if (k.endsWith('accountkey')) return 'azure-storage-key';
  if (k.includes('aws') && k.includes('secret')) return 'aws-secret-access-key';
  return cls === 'password' ? 'password' : 'generic-secret';
}

function isKeyChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f || c === 0x2e || c === 0x2d; // _ . -
}

/** Characters of an unquoted value: printable ASCII but white space, quotes, escapes and code punctuation. */
function isBareValueChar(c: number): boolean {
  if (c <= 0x20 || c >= 0x7f) return false;
  switch (c) {
    case 0x22: case 0x27: case 0x60: case 0x5c: // " ' ` \
    case 0x2c: case 0x3b: case 0x26: case 0x7c: // , ; & |
    case 0x3c: case 0x3e: case 0x28: case 0x29: // < > ( )
    case 0x7b: case 0x7d: case 0x5b: case 0x5d: // { } [ ]
    case 0x3d: // = (only as trailing base64 padding)
      return false;
    default:
      return true;
  }
}

/** base64 of `user:password` (Docker `auth`, npm `_auth`, basic credentials). */
function isBase64Credential(v: string): boolean {
  if (v.length < 12 || v.length % 4 !== 0) return false;
  const d = decodeBase64(v);
  return d !== null && /^[\x21-\x7e]{1,64}:[\x21-\x7e]{3,}$/.test(d);
}

type Separator = 'assign' | 'colon' | 'walrus' | 'arrow' | 'compare' | 'default' | 'comma' | 'paren' | 'tag';

interface Parsed {
  sep: Separator;
  /** Index just past the separator. */
  end: number;
}

function separatorAt(text: string, p: number, keyQuoted: boolean, tagOpen: boolean, strong: boolean): Parsed | null {
  const c = text.charCodeAt(p);
  const d = text.charCodeAt(p + 1);
  const e = text.charCodeAt(p + 2);
  switch (c) {
    case 0x3d: // =
      if (d === 0x3d) return { sep: 'compare', end: e === 0x3d ? p + 3 : p + 2 };
      if (d === 0x3e) return { sep: 'arrow', end: p + 2 };
      if (d === 0x7e) return null; // =~ regex match
      return { sep: 'assign', end: p + 1 };
    case 0x3a: // :
      if (d === 0x3d) return { sep: 'walrus', end: p + 2 };
      // Makefile `::=` and `:::=`
      if (d === 0x3a) return e === 0x3d ? { sep: 'walrus', end: p + 3 } : e === 0x3a && text.charCodeAt(p + 3) === 0x3d ? { sep: 'walrus', end: p + 4 } : null;
      if (keyQuoted || isSpace(d) || d === BACKSLASH || quoteAt(text, p + 1) > 0 || p + 1 >= text.length) return { sep: 'colon', end: p + 1 };
      // `apikey:value` with no space: only after a name that is plainly a secret's (not `user:pass`, not a time)
      return strong && !isSpace(d) ? { sep: 'colon', end: p + 1 } : null;
    case 0x21: // !
      if (d === 0x3d) return { sep: 'compare', end: e === 0x3d ? p + 3 : p + 2 };
      return null;
    case 0x2e: // . — PHP `.=`
      return d === 0x3d ? { sep: 'assign', end: p + 2 } : null;
    case 0x3f: // ?
      if (d === 0x3f) return e === 0x3d ? { sep: 'assign', end: p + 3 } : { sep: 'default', end: p + 2 };
      if (d === 0x3d) return { sep: 'assign', end: p + 2 };
      return null;
    case 0x7c: // |
      return d === 0x7c ? { sep: 'default', end: p + 2 } : null;
    case 0x2c: // , — `getenv("KEY", "default")`; not a Markdown list of `names` (checked by the caller: a call's first argument)
      return keyQuoted && text.charCodeAt(p - 1) !== 0x60 ? { sep: 'comma', end: p + 1 } : null;
    case 0x28: // (
      return { sep: 'paren', end: p + 1 };
    case 0x3e: // >
      return tagOpen ? { sep: 'tag', end: p + 1 } : null;
    default:
      return null;
  }
}

interface ValueSpan {
  start: number;
  end: number;
  quoted: boolean;
}

/** Reads a quoted value at `p` (any quote, escaped or not); null if unterminated or it contains an escape. */
function quotedValueAt(text: string, p: number): ValueSpan | null {
  const q = quoteAt(text, p);
  if (q === 0) return null;
  const qc = quoteCharAt(text, p, q);
  const start = p + q;
  const stop = Math.min(text.length, start + 1024);
  let e = start;
  while (e < stop) {
    const c = text.charCodeAt(e);
    if (c === qc || c === BACKSLASH || c === 0x0a || c === 0x0d) break;
    e++;
  }
  // the closing quote is escaped like the opening one; a quote of another level is the enclosing string's end
  const close = quoteAt(text, e);
  if (close !== q || quoteCharAt(text, e, close) !== qc) return null;
  // `"prefix" + x`, `"%s" % x`, `"…".format(x)`: part of an expression, not the whole value
  const after = skipBlanks(text, e + close, 4);
  const c = text.charCodeAt(after);
  if (c === 0x2b || c === 0x25 || (c === 0x2e && /[A-Za-z]/.test(text[after + 1] ?? ''))) return null;
  return { start, end: e, quoted: true };
}

/** Reads an unquoted value at `p`; trailing base64 padding is kept, trailing sentence punctuation dropped. */
function bareValueAt(text: string, p: number): ValueSpan | null {
  const stop = Math.min(text.length, p + 4096);
  let e = p;
  while (e < stop && isBareValueChar(text.charCodeAt(e))) e++;
  // `ops_eyJzaWdu...`: a value cut short in documentation is not a secret
  if (text.startsWith('...', e - 3) || text.startsWith('…', e)) return null;
  // a call or an index (`getPassword()`, `this.options.isEqual?.(x)`, `env['X']`): code, not a literal
  const after = text.charCodeAt(e);
  if (after === 0x28 || after === 0x5b) return null;
  let pad = 0;
  while (e < text.length && text.charCodeAt(e) === 0x3d && pad < 3) {
    e++;
    pad++;
  }
  while (e > p && (text.charCodeAt(e - 1) === 0x2e || text.charCodeAt(e - 1) === 0x3a)) e--;
  if (e === p) return null;
  return { start: p, end: e, quoted: false };
}

function valueAt(text: string, p: number, allowBare: boolean): ValueSpan | null {
  // string prefixes: f"…", b'…', r"…", u"…", Objective-C @"…"
  const c = text.charCodeAt(p);
  if ((c === 0x66 || c === 0x62 || c === 0x72 || c === 0x75 || c === 0x40) && quoteAt(text, p + 1) > 0 && !isAlnum(text.charCodeAt(p - 1))) p++;
  if (quoteAt(text, p) > 0) return quotedValueAt(text, p);
  if (!allowBare) return null;
  return c === 0x7b /* { */ ? bracedBareValueAt(text, p) : bareValueAt(text, p);
}

/**
 * An unquoted value that starts with `{`: a template (`{{ x }}`, `{name}`) unless it is one long run of symbols and
 * letters with no white space — then it is a generated secret that happens to start with a brace.
 */
function bracedBareValueAt(text: string, p: number): ValueSpan | null {
  const stop = Math.min(text.length, p + 256);
  let e = p;
  while (e < stop && !isSpace(text.charCodeAt(e)) && quoteAt(text, e) === 0 && text.charCodeAt(e) !== 0x2c) e++;
  while (e > p && /[;,.)]/.test(text[e - 1])) e--;
  const v = text.slice(p, e);
  if (v.length < 16 || (v.match(/[!#$%^&*(){}[\]<>?~+=|;-]/g)?.length ?? 0) < 6) return null;
  // `{string|ArrayBuffer|Buffer}` is a type in documentation: a secret mixes symbols of several kinds
  if (new Set(v.match(/[!#$%^&*()~?+=-]/g) ?? []).size < 3) return null;
  return { start: p, end: e, quoted: false };
}

/**
 * Strictness of the value gate: `literal` in config syntax, `code` after ` = ` or `:=`, `cli` after a flag,
 * `stated` in prose that says the value ("KEY is set to …", "token …: …"), `loose` for a bare word after the name.
 */
type Context = 'literal' | 'code' | 'cli' | 'stated' | 'loose';

/** Decisions for short values, which repeat (`"password": "…"` in every fixture); bounded. */
const decided = new Map<string, boolean>();

/** Whether `v`, the value of an identifier of class `cls`, is a secret. */
export function acceptValue(v: string, cls: KeyClass, quoted: boolean, context: Context): boolean {
  // cheap length floor first: the scan may call this at every `key=` of a pathological line
  if (v.length < (cls === 'password' ? 6 : cls === 'weak' ? 20 : 8)) return false;
  if (v.length > 64) return judgeValue(v, cls, quoted, context);
  const memo = `${cls}${context}${quoted ? 1 : 0}${v}`;
  const hit = decided.get(memo);
  if (hit !== undefined) return hit;
  const verdict = judgeValue(v, cls, quoted, context);
  if (decided.size >= 4096) decided.clear();
  decided.set(memo, verdict);
  return verdict;
}

function judgeValue(v: string, cls: KeyClass, quoted: boolean, context: Context): boolean {
  if (v.includes('‹') || isPlaceholder(v) || isNumberLiteral(v)) return false;
  if (!quoted && (isDottedIdentifier(v) || isConstantName(v) || isIdentifierLike(v))) return false;
  // `!vault |`, `!Ref DbPassword`, `!secret db_password`: a YAML tag pointing elsewhere
  if (!quoted && /^![A-Za-z]/.test(v)) return false;
  // `allowUnsafeAskPass`, `ToPascalCaseKeys`, `"__my_variable__"`, `hashed_pwd`: a name, not a chosen secret
  const inner = v.replace(/^(["'])(.*)\1$/, '$2');
  if (/^[A-Z]*[a-z]*(?:[A-Z][a-z]+)+$/.test(inner) || /^_*[a-z]+(?:_[a-z]+)+_*$/.test(inner) || /^__\w+__$/.test(inner)) return false;
  // a regular expression is a pattern, not a value
  if (/\(\?[:=!<]|\[[A-Za-z0-9]-[A-Za-z0-9]|\\[dswbDSWB]|\.\*|\.\+/.test(v)) return false;
  const spaced = /\s/.test(v);
  // "Password used to generate key", "top secret": a description of the secret, not the secret
  if (spaced && /pass(?:word|phrase)?|secret|token|\bkey\b|credential/i.test(v)) return false;
  // tokens and keys are one run of printable ASCII; only passwords and passphrases may hold spaces or other scripts
  if (cls !== 'password' && (spaced || /[^\x21-\x7e]/.test(v))) return false;
  // base64 of "not my real password", of "user:password": the decoded text is the placeholder
  if (v.length >= 12 && v.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(v)) {
    const d = decodeBase64(v);
    if (d !== null && /^[\x20-\x7e]+$/.test(d) && (isPlaceholder(d) || isPlaceholder(d.slice(d.indexOf(':') + 1)) || /\bnot\b.*\breal\b/i.test(d))) return false;
  }
  const idOrHex = isUuid(v) || isDigestHex(v);
  if (isKnownNonSecret(v) && !(idOrHex && cls !== 'weak' && context !== 'loose')) return false;
  if (cls === 'weak') return context !== 'loose' && context !== 'stated' && (looksRandom(v, 20) || isBase64Credential(v));
  if (context === 'loose' || context === 'stated') {
    if (spaced) return false;
    // prose: a chosen password has digits, or letters of both cases with symbols
    if (cls === 'password') return looksLikePassword(v) && v.length >= 8 && (/\d/.test(v) || classCount(v) >= 3);
    return looksRandom(v, 16) || (context === 'stated' && idOrHex);
  }
  if (cls === 'password') {
    if (context === 'code') return looksRandom(v, 8) || (looksLikePassword(v) && classCount(v) >= 3);
    return looksLikePassword(v) || idOrHex;
  }
  // a quoted literal of a secret-named key needs less length to count than a bare word after `=`
  const min = quoted && context === 'literal' ? 8 : context === 'code' || classCount(v) < 3 ? 16 : 12;
  return looksRandom(v, min) || isBase64Credential(v) || idOrHex;
}

function emit(text: string, value: ValueSpan, key: string, cls: KeyClass, context: Context, sink: SpanSink): boolean {
  const v = text.slice(value.start, value.end);
  if (v.toLowerCase() === key.toLowerCase()) return false;
  if (!acceptValue(v, cls, value.quoted, context)) return false;
  sink.add(value.start, value.end, kindFor(key, cls), 'assignment');
  sink.keyFloor = Math.max(sink.keyFloor, value.end);
  return true;
}

/** `groq-api-key:` ⏎ `  value: …` — the value sits under a secret-named parent, on the next line. */
function valueOnNextLine(text: string, p: number, key: string, cls: KeyClass, sink: SpanSink): void {
  const br = lineBreakAt(text, p);
  if (br === 0) return;
  let q = skipBlanks(text, p + br, 32);
  if (text.startsWith('- ', q)) q += 2;
  const m = /^(?:value|data|current|plaintext|plain|val|content|default)["']?[ \t]*[:=][ \t]*/.exec(text.slice(q, q + 48));
  if (m === null) return;
  const value = valueAt(text, q + m[0].length, true);
  if (value) emit(text, value, key, cls, 'literal', sink);
}

/** `name: DB_PASSWORD` … `value: …`, `<add key="adminPassword" value="…"/>`: the identifier is itself a value. */
function valueOfNamedEntry(text: string, ks: number, p: number, key: string, cls: KeyClass, sink: SpanSink): boolean {
  const before = text.slice(Math.max(0, ks - 24), ks);
  if (!/(?:^|[^\w])(?:name|key|Name|Key|NAME|KEY|secretName|envVar)\\*["']?[ \t]*[:=][ \t]*\\*["']?$/.test(before)) return false;
  const window = text.slice(p, p + 160);
  const m = /^(?:[^\n]{0,80}?(?:\n|\\n)){0,2}?[^\n]{0,80}?\bvalue\\*["']?[ \t]*[:=][ \t]*/.exec(window);
  if (m === null) return false;
  const value = valueAt(text, p + m[0].length, true);
  return value !== null && emit(text, value, key, cls, 'literal', sink);
}

/** Words that, between a secret word and a value in prose, show the value is something else. */
const PROSE_STOP = /\b(?:fingerprint|id|ids|hash|sha\d*|digest|name|url|path|file|version|format|type|length|example|sample|looks|like|e\.g|such)\b/i;

/** "the password is …", "`GH_TOKEN` is set to `…`", "here's the Azure AD token, use it for the deploy: …". */
function proseValue(text: string, p: number, key: string, cls: KeyClass, cli: boolean, sink: SpanSink): void {
  if (cls === 'weak') return;
  // "pass `{…}` as the option": the verb, not a name, unless it is a flag (`--pass x`)
  if (!cli && key.toLowerCase() === 'pass') return;
  // directly after the key: `--password value`, `password value`, `KEY is value`, `KEY is set to value`
  let q = skipBlanks(text, p, 4);
  if (q > p) {
    const verb = /^(?:(?:is|was|are|=)[ \t]+(?:set[ \t]+to[ \t]+|now[ \t]+)?|set[ \t]+to[ \t]+)/.exec(text.slice(q, q + 24));
    if (verb) q += verb[0].length;
    const value = valueAt(text, q, true);
    if (value && emit(text, value, key, cls, cli ? 'cli' : verb ? 'stated' : 'loose', sink)) return;
  }
  if (cli) return;
  // further along the sentence, after a colon or "is"
  const window = text.slice(p, p + 96);
  const m = /^([^\n\\.;!?`'"]{0,64}?)(?::|\bis|=)[ \t]+`?/.exec(window);
  if (m === null || PROSE_STOP.test(m[1])) return;
  const value = valueAt(text, p + m[0].length, true);
  if (value && value.end - value.start >= 16) emit(text, value, key, cls, 'stated', sink);
}

/** Index of the last non-blank character before `i` (or -1). */
function skipBlanksBack(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && isBlank(text.charCodeAt(j)) && i - j < 16) j--;
  return j;
}

/** Length of the quote (with its escaping backslashes) that ends right before `i`, or 0. */
function quoteLevelBefore(text: string, i: number): number {
  if (i === 0 || !isQuote(text.charCodeAt(i - 1))) return 0;
  let j = i - 1;
  while (j > 0 && text.charCodeAt(j - 1) === BACKSLASH && i - j < 8) j--;
  return i - j;
}

/** The keyword finder: one call per keyword anchor; see the module comment for the syntaxes. */
export const findAssignment: Finder = (text, at, anchor, sink) => {
  if (at < sink.keyFloor) return;
  const n = text.length;
  // the whole identifier around the anchor, stopping at escape sequences (`\nKEY=` is KEY)
  let ks = at;
  const minKs = Math.max(0, at - 64);
  while (ks > minKs && isKeyChar(text.charCodeAt(ks - 1)) && !isEscapeLetter(text, ks - 1)) ks--;
  if (ks === minKs && ks > 0 && isKeyChar(text.charCodeAt(ks - 1))) return;
  let ke = at + anchor.length;
  const maxKe = Math.min(n, ke + 64);
  while (ke < maxKe && isKeyChar(text.charCodeAt(ke))) ke++;
  sink.keyFloor = ke;
  if (ke === maxKe && ke < n && isKeyChar(text.charCodeAt(ke))) return;
  let kEnd = ke;
  while (kEnd > ks && (text.charCodeAt(kEnd - 1) === 0x2e || text.charCodeAt(kEnd - 1) === 0x2d)) kEnd--;
  let kStart = ks;
  while (kStart < kEnd && text.charCodeAt(kStart) === 0x2d) kStart++;
  const cli = kStart > ks && (ks === 0 || isBlank(text.charCodeAt(ks - 1)));
  while (kStart < kEnd && text.charCodeAt(kStart) === 0x2e) kStart++;
  if (kEnd <= kStart) return;
  const key = text.slice(kStart, kEnd);
  const cls = classifyKey(key);
  if (cls === null) return;
  // a reference to the variable, not its definition: $KEY, ${KEY}, %KEY% — but `$password = "…"` (PHP) assigns
  const before = ks > 0 ? text.charCodeAt(ks - 1) : 0;
  if (before === 0x25 || (before === 0x7b && ks > 1 && text.charCodeAt(ks - 2) === 0x24)) return;
  if (before === 0x24 && !/^[ \t]*(?:\.|\?\?)?=[^=]/.test(text.slice(kEnd, kEnd + 8))) return;

  let p = kEnd;
  const kq = quoteAt(text, p);
  const keyQuoted = kq > 0;
  p += kq;
  if (text.charCodeAt(p) === 0x5d /* ] */) p++;
  else if (text.startsWith('[]', p)) p += 2; // PHP and Objective-C: `apikey[] = "…"`
  const afterKey = p;
  p = skipBlanks(text, p, 8);
  const spacedBefore = p > afterKey;
  const tagOpen = before === 0x3c; // <password>…</password>
  // `apikey:value` is accepted for a plain secret name, not inside `group.id:artifact` or `arn:…:secret:name`
  const strong = cls !== 'weak' && !spacedBefore && !key.includes('.') && before !== 0x3a && before !== 0x2f;
  const sep = cli && spacedBefore ? null : separatorAt(text, p, keyQuoted, tagOpen, strong);
  if (sep === null) {
    // `fooapikeyfoo"…";`: the quote after the name opens a value (no quote of its level opened the name)
    // at the start of a statement (or of the string that holds it), not inside `'username:password'`
    const startsStatement = ks === 0 || isBlank(before) || before === 0x0a || isEscapeLetter(text, ks - 1) || before === 0x7b || before === 0x3b || isQuote(before);
    if (keyQuoted && startsStatement && quoteLevelBefore(text, ks) !== kq) {
      const glued = quotedValueAt(text, kEnd);
      const end = glued ? glued.end + kq : 0;
      // …and ends one: `;`, a line break, or the end of the string that holds it
      if (glued && (end >= text.length || /^;?(?:[ \t]|$|\r|\n|\\+n|\\*["'`])/.test(text.slice(end, end + 8))) && emit(text, glued, key, cls, 'stated', sink)) return;
    }
    if (valueOfNamedEntry(text, ks, afterKey, key, cls, sink)) return;
    proseValue(text, afterKey, key, cls, cli, sink);
    return;
  }
  let q = skipBlanks(text, sep.end, 8);
  const spacedAfter = q > sep.end;
  if ((sep.sep === 'colon' || sep.sep === 'assign') && lineBreakAt(text, q) > 0) {
    valueOnNextLine(text, q, key, cls, sink);
    return;
  }
  // `getenv("KEY", "default")`: the name must be a call's first argument, not an item of a list `['a', 'b']`
  if (sep.sep === 'comma' && text.charCodeAt(skipBlanksBack(text, ks - quoteLevelBefore(text, ks))) !== 0x28) return;
  // `splitpasswd('user:passwd')`, `validatePassword("…")`: an argument to a function about the secret
  if (sep.sep === 'paren' && PAREN_VERBS.has(keySegments(key)[0])) return;
  // "will pass ("be green")": the verb `pass` names something only with `=` or `:`
  if (key.toLowerCase() === 'pass' && sep.sep !== 'assign' && sep.sep !== 'colon') return;
  let value: ValueSpan | null;
  if (sep.sep === 'tag') {
    const close = text.indexOf('<', q);
    if (close < 0 || close - q > 512 || !text.startsWith('</', close)) return;
    // element content may sit on its own line: trim line breaks (real or escaped) and indentation around it
    let s = q;
    let e = close;
    for (let br = lineBreakAt(text, s); br > 0 || isBlank(text.charCodeAt(s)); br = lineBreakAt(text, s)) s += br > 0 ? br : 1;
    for (;;) {
      if (e > s && isSpace(text.charCodeAt(e - 1))) e--;
      else if (e > s + 1 && isEscapeLetter(text, e - 1)) e -= 2;
      else if (e > s && text.charCodeAt(e - 1) === BACKSLASH) e--;
      else break;
    }
    value = { start: s, end: e, quoted: true };
  } else {
    const bareAllowed = sep.sep === 'assign' || sep.sep === 'colon' || sep.sep === 'walrus' || sep.sep === 'arrow';
    value = valueAt(text, q, bareAllowed);
  }
  // a type annotation (`var apiToken: String = "…"`): the value comes after the `=`
  if (value !== null && !value.quoted && sep.sep === 'colon') {
    const eq = /^[ \t]*=[ \t]*/.exec(text.slice(value.end, value.end + 8));
    if (eq && /^[A-Z]?[A-Za-z]+[?!]?$/.test(text.slice(value.start, value.end))) value = valueAt(text, value.end + eq[0].length, false);
  }
  if (value === null) return;
  const code = !value.quoted && (sep.sep === 'walrus' || sep.sep === 'arrow' || (sep.sep === 'assign' && (spacedBefore || spacedAfter)));
  emit(text, value, key, cls, cli ? 'cli' : code ? 'code' : 'literal', sink);
};
