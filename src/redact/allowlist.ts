/**
 * What is not a secret even when it sits where one could: placeholders, documentation values, and the identifiers,
 * digests and encoded media that assistants' logs are full of. Pure predicates over a candidate value.
 */
import { classCount, entropy, isDigit, isHexChar } from './text.js';

/** Marks of an example, a template or masked output (matched case-insensitively anywhere in a value or token). */
export const PLACEHOLDER_MARKS =
  /example|sample|placeholder|dummy|fake|chang(?:e[-_ ]?me|eit)|replace|redacted|masked|insert[-_ ]|not[-_ ]?a?[-_ ]?real|your|[-_ ]here$|xxxx|\*\*\*|…|\.\.\.|•/i;

/** Whole values that are words standing for a secret, a type or an empty value rather than being one. */
const PLACEHOLDER_EXACT = new Set(
  (
    'password passwd pass pwd secret secrets token key apikey api_key api-key credential credentials mypassword mysecret ' +
    'yourpassword mypass mytoken null none nil undefined true false yes no on off string str text number int integer ' +
    'bool boolean object any required optional empty blank default value values test testing admin root user username ' +
    'guest demo foo bar baz qux abc abc123 123456 12345678 qwerty hunter2 letmein changeme secret_key secretkey ' +
    'env environment config settings process os await async new this self return function lambda typeof void ' +
    'encrypted hidden private public redacted unset unknown todo tbd n/a na invalid missing'
  ).split(' '),
);

/** "my-password", "db_secret", "your token": a role name, not a value. */
const ROLE_NAME = /^(?:my|your|the|some|a|new|old|test|dummy|default|db|database|admin|user|app|api|service|local|dev|prod)?[-_ ]?(?:pass(?:word|wd)?|pwd|secret|token|key|api[-_]?key|credential|auth)s?$/i;

/**
 * Well-formed template and variable syntax: `${VAR}`, `${VAR:-x}`, `$VAR`, `{{ x }}`, `$(cmd)`, `#{x}`, `%VAR%`,
 * `%(name)s`, `@VAR@`, `<value>`, `{name}`, `[name]`. Only complete expressions count: a password may well contain
 * `${` or `{{` among other characters.
 */
const TEMPLATE_PARTS = [
  /\$\{[A-Za-z_][\w.:=?!+\-/#%*@$ ()'",]{0,120}\}/,
  /\{\{[^{}]{0,80}\}\}/,
  /\$\([^()]{1,120}\)/,
  /#\{[^{}]{1,80}\}/,
  /<[A-Za-z_][\w .:/-]{0,60}>/,
];
const TEMPLATE_WHOLE = [
  /^\$[A-Za-z_]\w*$/,
  /^\$\d+$/,
  /^%[A-Za-z_]\w*%$/,
  /^%\([A-Za-z_][\w.]*\)[sdr]$/,
  /^@[A-Za-z_]\w*@$/,
  /^<[^<>]+>$/,
  /^\{[\w. -]*\}$/,
  /^\[[\w. -]*\]$/,
  /^\$$/,
];
function isTemplate(v: string): boolean {
  for (const re of TEMPLATE_WHOLE) if (re.test(v)) return true;
  for (const re of TEMPLATE_PARTS) if (re.test(v)) return true;
  return false;
}

/** A single character repeated (`xxxx`, `****`, `0000`, `aaaa`), ignoring separators. */
function isRepeatedChar(v: string): boolean {
  const core = v.replace(/[-_.: ]/g, '');
  if (core.length === 0) return true;
  for (let i = 1; i < core.length; i++) if (core[i] !== core[0]) return false;
  return true;
}

/** Long runs of one character or of an ascending alphabet (`abcdefgh…`, `0123456789`) are not keys. */
function isLowVariety(v: string): boolean {
  let run = 1;
  let asc = 1;
  for (let i = 1; i < v.length; i++) {
    const d = v.charCodeAt(i) - v.charCodeAt(i - 1);
    run = d === 0 ? run + 1 : 1;
    asc = d === 1 ? asc + 1 : 1;
    if (run >= 8 || asc >= 10) return true;
  }
  return false;
}

/** Obvious placeholders: templates, masks, example words, role names, a repeated character. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_EXACT.has(lower) || ROLE_NAME.test(v)) return true;
  // "securepassword", "supersecret", "user:passwd": made of the word itself, nothing chosen about it
  if (v.length <= 16 && /password|passwd|secret/i.test(v) && !/\d/.test(v.replace(/password|passwd|secret/gi, ''))) return true;
  if (isTemplate(v) || isRepeatedChar(v) || isLowVariety(v) || isLeetPlaceholder(v)) return true;
  if (PLACEHOLDER_MARKS.test(v)) return true;
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(v: string): boolean {
  return v.length === 36 && UUID.test(v);
}

/** Pure hex of a digest's length (MD5, SHA-1/git, SHA-224/256/384/512). */
export function isDigestHex(v: string): boolean {
  if (![32, 40, 56, 64, 96, 128].includes(v.length)) return false;
  for (let i = 0; i < v.length; i++) if (!isHexChar(v.charCodeAt(i))) return false;
  return true;
}

/** Ids of assistants' logs and public payment objects: `toolu_…`, `msg_…`, `req_…`, `call_…`, `cus_…`, `pi_…`. */
const PUBLIC_ID = /^(?:toolu|srvtoolu|msg|msgbatch|req|call|rs|resp|fc|ws|chatcmpl|run|thread|asst|file|batch|cus|pi|ch|evt|prod|price|sub|in|ii|acct|txn|po|seti|src|tok|card|ba|pm|cs|py|tr|sess|ses|si|pl|ic)_[A-Za-z0-9]{6,}$/;

/** Prefixes of values that are public by design or encoded media, never credentials. */
const PUBLIC_PREFIXES = [
  'pk_live_', 'pk_test_', 'pk.eyJ', 'phc_', 'sb_publishable_', 'arn:aws:', 'arn:aws-',
  // encoded media: PNG, JPEG, GIF, WebP, SVG, PDF, WOFF/WOFF2, ICO
  'iVBORw0KGgo', '/9j/', 'R0lGOD', 'UklGR', 'PHN2Zy', 'PD94bWwg', 'JVBERi', 'd09GRg', 'd09GMg', 'AAABAA',
  // OpenSSH public keys, and DER public keys in base64 (SubjectPublicKeyInfo: EC P-256/384, RSA, Ed25519; PKCS#1 RSA)
  'AAAAB3NzaC1', 'AAAAC3NzaC1', 'AAAAE2VjZHNh', 'ssh-rsa ', 'ssh-ed25519 ', 'ecdsa-sha2-', 'MFkwEwYHKoZIzj0CAQ',
  'MHYwEAYHKoZIzj0CAQ', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A', 'MIICIjANBgkqhkiG9w0BAQEFAAOCAg8A', 'MCowBQYDK2Vw', 'MIIBCgKCAQEA',
  // Fernet tokens: Codex's encrypted_content
  'gAAAAA',
];

/** Digests written with their algorithm (`sha256:…`, `sha512-…`, `h1:…`), and data URIs. */
const DIGEST_PREFIX = /^(?:sha(?:1|224|256|384|512)|md5|blake2[bs]?|blake3|h1|crc32)[:-]/i;

/**
 * Shapes that are not secrets wherever they appear: UUIDs, digests, public ids, public keys, media, ARNs, paths,
 * URLs without credentials, e-mail addresses, version numbers. Used by the tiers whose names alone are weak evidence.
 */
export function isKnownNonSecret(v: string): boolean {
  if (isUuid(v) || isDigestHex(v) || PUBLIC_ID.test(v) || DIGEST_PREFIX.test(v)) return true;
  if (v.startsWith('data:')) return true;
  for (const p of PUBLIC_PREFIXES) if (v.startsWith(p)) return true;
  if (v.endsWith('.apps.googleusercontent.com')) return true;
  if (isPathLike(v) || isUrlLike(v) || isEmail(v) || isVersion(v)) return true;
  return false;
}

/** File paths and file names with a known extension. */
export function isPathLike(v: string): boolean {
  if (/^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:[\\/])/.test(v)) return true;
  return /\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|keytab|json|ya?ml|toml|txt|env|ini|conf|cfg|xml|properties|pub|gpg|asc|sh|py|js|ts|go|rb|md|log|lock|html?|csv)$/i.test(v);
}

function isUrlLike(v: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return true;
  // host names: dotted labels ending with an alphabetic top-level domain, optional port
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,12}(?::\d{1,5})?$/i.test(v) && !/\d.*[A-Z]|[A-Z].*\d/.test(v);
}

function isEmail(v: string): boolean {
  return /^[^@\s]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(v);
}

function isVersion(v: string): boolean {
  return /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(v);
}

/** `process.env.X`, `X25519.secret_length`, `this.password`: dotted identifiers are code, not values. */
export function isDottedIdentifier(v: string): boolean {
  return /^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)+[?!]?$/.test(v);
}

/** `0x0B96`, `-1.5e3`: a number literal. */
export function isNumberLiteral(v: string): boolean {
  return /^0x[0-9a-fA-F]{1,16}$/.test(v) || /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(v) && v.length < 12;
}

/** `p@ssw0rd`, `pa$$word`, `s3cr3t`: the word itself in leetspeak. */
export function isLeetPlaceholder(v: string): boolean {
  if (v.length < 4 || v.length > 10) return false;
  const plain = v.toLowerCase().replace(/[@4]/g, 'a').replace(/[$5]/g, 's').replace(/0/g, 'o').replace(/[1!|]/g, 'i').replace(/3/g, 'e').replace(/7/g, 't');
  return /^(?:password|passwd|passw|pass|secret|letmein|changeme|admin|qwerty|token)$/.test(plain.replace(/iong$/, 'ong'));
}

/** `hashed_pwd`, `userPassword`: an unquoted identifier is a variable, not a literal. */
export function isIdentifierLike(v: string): boolean {
  return /^[A-Za-z_]+$/.test(v) && (v.includes('_') || /[a-z][A-Z]/.test(v));
}

/** `PASSWORD_MIN_LENGTH`, `K8S_CRED`: a constant's name. */
export function isConstantName(v: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) && !/\d{4,}/.test(v);
}

/**
 * True when the letters of `v` read as words (`SalesResults-1.2`, `DOC_Vector_5_32`): names and labels, not keys.
 * Measured by how many of its letter pairs are common in English; random letters rarely form them.
 */
export function isWordy(v: string): boolean {
  // digits scattered among letters (`ywr2ymp7mm2oma1`) are not how names and labels are written
  let switches = 0;
  for (let i = 1; i < v.length; i++) {
    const a = isDigit(v.charCodeAt(i - 1));
    const b = isDigit(v.charCodeAt(i));
    if (a !== b && /[A-Za-z]/.test(v[a ? i : i - 1])) switches++;
  }
  if (switches >= 4) return false;
  // names and labels do not carry punctuation like `{}$#!` of several kinds; generated and chosen secrets do
  if (new Set(v.match(/[!@#$%^&*(){}[\]<>?~]/g) ?? []).size >= 3) return false;
  return bigramScore(v) >= 0.55;
}

/** The most frequent letter pairs of English text and identifiers: words are made of them, random letters rarely. */
const COMMON_BIGRAMS = new Set(
  (
    'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ' +
    'ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns ge ly ei os no pe do su pa et ac ut ad am ap ct di ec em ' +
    'ex fi fo id il im lo mi mo na ni ol pl po pr qu rs rt sh so sp ss tr ts ty ul un us wa we wh wi'
  ).split(' '),
);

/** Share of the letter pairs of `v` (inside runs of letters, ignoring case) that are common English bigrams. */
export function bigramScore(v: string): number {
  const lower = v.toLowerCase();
  let pairs = 0;
  let common = 0;
  for (let i = 1; i < lower.length; i++) {
    const a = lower.charCodeAt(i - 1);
    const b = lower.charCodeAt(i);
    if (a < 0x61 || a > 0x7a || b < 0x61 || b > 0x7a) continue;
    pairs++;
    if (COMMON_BIGRAMS.has(lower.slice(i - 1, i + 1))) common++;
  }
  return pairs < 4 ? 0 : common / pairs;
}

/**
 * How strongly `v` looks machine-generated: enough length, several character classes, high entropy, not made of
 * words. The gate for values whose key name is the only evidence.
 */
export function looksRandom(v: string, minLength = 16): boolean {
  if (v.length < minLength) return false;
  const classes = classCount(v);
  if (classes < 2) return false;
  const h = entropy(v);
  if (h < (v.length >= 32 ? 3.3 : 3.0)) return false;
  if (isLowVariety(v)) return false;
  return !isWordy(v);
}

/** Whether a string is entirely digits. */
export function isNumeric(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return true;
}

/** A mix of letters with digits or symbols, or a long phrase: what a chosen password looks like. */
export function looksLikePassword(v: string): boolean {
  if (v.length < 6 || v.length > 256) return false;
  if (isNumeric(v) && v.length < 12) return false;
  if (classCount(v) >= 2) return true;
  return v.length >= 12 && !isLowVariety(v);
}

