/**
 * Generalization beyond the development set: providers and syntaxes it does not contain, in the contexts session logs
 * put secrets in (compose files, headers, .env diffs, JSON configs, prose, CLI flags), wrapped as Claude, Codex and
 * Gemini lines store them; and code and documentation that name secrets without holding one. The cases are built
 * here from the providers' documented formats with a fixed seed, so the figures are deterministic.
 */
import { describe, expect, it } from 'vitest';
import { scoreCases } from '../src/bench/redact-bench.js';
import { detectSecrets } from '../src/redact/detect.js';
import { unmark } from './helpers/marked.js';

let seed = 99;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const SETS: Record<string, string> = {
  an: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  al: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  wd: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  h: '0123456789abcdef',
  Ad: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ad: 'abcdefghijklmnopqrstuvwxyz0123456789',
  sym: '!#%*^~@$',
};
const r = (set: string, n: number) => Array.from({ length: n }, () => pick([...SETS[set]])).join('');
const uuid = () => `${r('h', 8)}-${r('h', 4)}-4${r('h', 3)}-a${r('h', 3)}-${r('h', 12)}`;

/** Providers (with and without a documented prefix) the development set has no case for. */
const KINDS: [string, string, () => string][] = [
  ['Mistral', 'MISTRAL', () => r('an', 32)],
  ['Cohere', 'COHERE', () => r('an', 40)],
  ['Datadog', 'DATADOG', () => r('h', 32)],
  ['DeepSeek', 'DEEPSEEK', () => `sk-${r('h', 32)}`],
  ['xAI', 'XAI', () => `xai-${r('an', 80)}`],
  ['Perplexity', 'PERPLEXITY', () => `pplx-${r('an', 48)}`],
  ['Supabase', 'SUPABASE', () => `sbp_${r('h', 40)}`],
  ['Doppler', 'DOPPLER', () => `dp.st.prd.${r('an', 40)}`],
  ['Postman', 'POSTMAN', () => `PMAK-${r('h', 24)}-${r('h', 34)}`],
  ['New Relic', 'NEW_RELIC', () => `NRAK-${r('Ad', 27)}`],
  ['Pulumi', 'PULUMI', () => `pul-${r('h', 40)}`],
  ['Terraform', 'TFE', () => `${r('an', 14)}.atlasv1.${r('wd', 67)}`],
  ['Fly', 'FLY', () => `fo1_${r('wd', 43)}`],
  ['Vercel', 'VERCEL', () => `vcp_${r('an', 56)}`],
  ['Cloudflare', 'CLOUDFLARE', () => r('wd', 40)],
  ['Heroku', 'HEROKU', () => `HRKU-AA${r('wd', 58)}`],
  ['Grafana', 'GRAFANA', () => `glsa_${r('an', 32)}_${r('h', 8)}`],
  ['Sentry', 'SENTRY', () => `sntryu_${r('h', 64)}`],
  ['Hugging Face', 'HF', () => `hf_${r('al', 34)}`],
  ['Algolia', 'ALGOLIA_ADMIN', () => r('h', 32)],
  ['Snyk', 'SNYK', () => uuid()],
  ['Postmark', 'POSTMARK_SERVER', () => uuid()],
  ['Twitch', 'TWITCH_CLIENT', () => r('ad', 30)],
  ['LaunchDarkly', 'LAUNCHDARKLY_SDK', () => `sdk-${uuid()}`],
  ['PlanetScale', 'PLANETSCALE', () => `pscale_tkn_${r('wd', 43)}`],
  ['Render', 'RENDER', () => `rnd_${r('an', 32)}`],
  ['CircleCI', 'CIRCLECI', () => `CCIPAT_${r('an', 22)}_${r('h', 40)}`],
  ['SonarQube', 'SONAR', () => `squ_${r('h', 40)}`],
  ['PostHog', 'POSTHOG_PERSONAL', () => `phx_${r('an', 43)}`],
  ['HubSpot', 'HUBSPOT', () => `pat-na1-${uuid()}`],
  ['Tavily', 'TAVILY', () => `tvly-${r('an', 32)}`],
  ['Auth0', 'AUTH0_CLIENT', () => r('wd', 64)],
  ['Slack signing', 'SLACK_SIGNING', () => r('h', 32)],
  ['GitHub webhook', 'GITHUB_WEBHOOK', () => r('h', 40)],
  ['NextAuth', 'NEXTAUTH', () => `${r('b64', 43)}=`],
];
const SUFFIXES = ['API_KEY', 'TOKEN', 'SECRET', 'API_TOKEN', 'ACCESS_TOKEN', 'SECRET_KEY', 'AUTH_TOKEN'];
const camel = (name: string) => name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Where a session log holds a secret: ⟦…⟧ marks it. */
const TEMPLATES: ((name: string, value: string, provider: string) => string)[] = [
  (k, v) => `    environment:\n      - NODE_ENV=production\n      - ${k}=⟦${v}⟧\n    ports:\n      - "8080:8080"\n`,
  (_, v) => `resp = requests.get(\n    "https://api.acme.dev/v1/items",\n    headers={"Authorization": "Bearer ⟦${v}⟧"},\n)\n`,
  (k, v) => `jobs:\n  deploy:\n    env:\n      ${k}: ⟦${v}⟧\n      GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\n`,
  (k, v) => `{\n  "name": "infra",\n  "${camel(k)}": "⟦${v}⟧",\n  "timeoutMs": 19786\n}\n`,
  (_, v) => `$ curl -sS -H "Authorization: ⟦${v}⟧" https://api.acme.dev/v1/orders\n{"ok":true}\n`,
  (k, v) => `$ docker run --rm -e ${k}=⟦${v}⟧ -p 8080:8080 ghcr.io/acme/web-app:sha-1f88ae4\n`,
  (k, v) => `@@ -35,3 +31,6 @@\n LOG_LEVEL=info\n-${k}=\n+${k}=⟦${v}⟧\n CACHE_TTL_SECONDS=300\n`,
  (k, v) => `${k} = os.environ.get("${k}", "⟦${v}⟧")\n`,
  (k, v) => `package config\n\nconst ${camel(k)} = "⟦${v}⟧"\n`,
  (k, v) => `$ export ${k}='⟦${v}⟧'\n$ python manage.py runserver\n`,
  (k, v) => `2026-04-18T17:27:06.980Z DEBUG config loaded env={"${k}":"⟦${v}⟧","region":"us-east-1"} request_id=${uuid()}\n`,
  (k, v) => `[default]\nendpoint = "https://api.acme.dev/v2"\n${k.toLowerCase()} = "⟦${v}⟧"\ntimeout = 30\n`,
  (k, v) => `$ env | sort\nHOSTNAME=d81bd4657d91\n${k}=⟦${v}⟧\nPATH=/usr/local/bin\n`,
  (k, v) => `I found a hardcoded credential in \`src/lib/seed.ts:92\`: \`${k}\` is set to \`⟦${v}⟧\`. Rotate it.`,
  (_, v, p) => `here's the ${p} token, use it for the deploy: ⟦${v}⟧`,
  (k, v) => `${k.toLowerCase().replace(/_/g, '-')}:\n  value: ⟦${v}⟧\n  rotate_after_days: 90\n`,
  (_, v) => `> GET /v1/items HTTP/2\n> accept: */*\n> Authorization: Bearer ⟦${v}⟧\n>\n< HTTP/2 200\n`,
];

/** How each agent stores text. */
const WRAPPERS: ((s: string) => string)[] = [
  (s) => s,
  (s) => JSON.stringify({ type: 'user', message: { role: 'user', content: [{ tool_use_id: `toolu_01${r('an', 22)}`, type: 'tool_result', content: s }] }, uuid: uuid() }),
  (s) => JSON.stringify({ type: 'response_item', payload: { type: 'function_call_output', call_id: `call_${r('an', 24)}`, output: JSON.stringify({ output: s, metadata: { exit_code: 0 } }) } }),
  (s) => JSON.stringify({ sessionId: uuid(), type: 'user', message: s, timestamp: '2026-01-17T10:07:26.367Z' }),
  (s) => `The command printed:\n\n\`\`\`console\n${s}\n\`\`\`\n`,
];

/** Text that names secrets, passwords and tokens without holding one. */
const NEGATIVES: (() => string)[] = [
  () => `password = request.form['password']`,
  () => `password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())`,
  () => `const [password, setPassword] = useState('');`,
  () => `<input type="password" name="password" autocomplete="current-password" />`,
  () => `"password": { "type": "string", "minLength": 8 }`,
  () => `Password: \${{ secrets.DB_PASSWORD }}`,
  () => `PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text)`,
  () => `export TOKEN=$(gh auth token)`,
  () => `api_key = os.getenv("API_KEY")`,
  () => `secret_key = settings.SECRET_KEY`,
  () => `"apiKey": "<YOUR_API_KEY>"`,
  () => `API_KEY=your-api-key-here`,
  () => `cache_key = f"user:{user_id}:profile"`,
  () => `"token_type": "Bearer", "expires_in": 3600`,
  () => `headers = {"Authorization": f"Bearer {token}"}`,
  () => `-H "Authorization: token \${{ secrets.GITHUB_TOKEN }}"`,
  () => `tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")`,
  () => `"input_tokens": 1234, "output_tokens": 567`,
  () => `secret_name = "prod/db/password"`,
  () => `ssh_key_path = "~/.ssh/id_ed25519"`,
  () => `echo "$REGISTRY_PASSWORD" | docker login --username acmebot --password-stdin`,
  () => `psql: error: FATAL:  password authentication failed for user "postgres"`,
  () => `postgres://localhost:5432/orders and https://deploy@git.acme.dev/repo.git`,
  () => `The token was rotated by ${uuid()} at commit ${r('h', 40)}.`,
  () => `const token = jwt.sign(payload, process.env.JWT_SECRET, { expiresIn: "1h" });`,
  () => `raise HTTPException(status_code=401, detail="Incorrect username or password")`,
  () => `"integrity": "sha512-${r('b64', 86)}=="`,
  () => `arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf`,
  () => `"publishableKey": "pk_live_${r('an', 24)}"`,
  () => `password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  ${r('h', 60)}`,
  () => `* \`password\` {string|ArrayBuffer|Buffer|TypedArray|DataView}`,
  () => `gpg --keyserver hkps://keys.openpgp.org --recv-keys ${r('h', 40).toUpperCase()}`,
];

interface Case {
  id: string;
  text: string;
  secrets: { start: number; end: number }[];
}

function positives(): Case[] {
  const cases: Case[] = [];
  for (const [provider, stem, generate] of KINDS) {
    TEMPLATES.forEach((template, t) => {
      const { text, spans } = unmark(pick(WRAPPERS)(template(`${stem}_${pick(SUFFIXES)}`, generate(), provider)));
      cases.push({ id: `${provider}/${t}`, text, secrets: spans });
    });
  }
  return cases;
}

describe('generalization beyond the development set', () => {
  it('finds ≥ 99 % of secrets of providers the dev set lacks, in its contexts and wrappers, with no false positive', () => {
    const cases = positives();
    const score = scoreCases(cases, detectSecrets);
    const missed = cases
      .filter((c) => {
        const spans = detectSecrets(c.text);
        return c.secrets.some((s) => !spans.some((f) => f.start <= s.start && f.end >= s.end));
      })
      .map((c) => `${c.id}: ${JSON.stringify(c.text).slice(0, 160)}`);
    expect(cases.length).toBe(KINDS.length * TEMPLATES.length);
    expect(score.recall, missed.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(score.fp).toBe(0);
  });

  it('finds nothing in code and documentation that only name secrets, however it is wrapped', () => {
    const flagged: string[] = [];
    for (const negative of NEGATIVES) {
      for (const wrap of WRAPPERS) {
        const text = wrap(negative());
        const spans = detectSecrets(text);
        if (spans.length > 0) flagged.push(`${JSON.stringify(text).slice(0, 160)} → ${spans.map((s) => text.slice(s.start, s.end)).join(', ')}`);
      }
    }
    expect(flagged.join('\n')).toBe('');
  });
});
