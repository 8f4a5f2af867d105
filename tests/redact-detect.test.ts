/**
 * The detector as a whole: span shape and merging, escape-aware boundaries, the allowlists (what logs are full of and
 * is not secret), masking, and adversarial multi-megabyte input that must stay fast.
 */
import { describe, expect, it } from 'vitest';
import { isKnownNonSecret, isPlaceholder, looksRandom } from '../src/redact/allowlist.js';
import { classifyKey } from '../src/redact/assignments.js';
import { detectSecrets, DETECTOR_VERSION, mergeSpans } from '../src/redact/detect.js';
import { maskSecrets, maskSlice, redactText } from '../src/redact/mask.js';
import { SpanSink } from '../src/redact/types.js';

const AWS = 'AKIA2UGO56FV64NQCRLO';
const GH = 'ghp_PFpyrHF5yrie560DoqglktxtD1R3iw5dndvW';
const PEM_BODY = [
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLbCHUOtKnDMTO8V5',
  'YSzKY1re8jvxQR1xDn9yXkHkkGuhRANCAAR6k2VNBjFpDRHfpPUFbf6p/dRW3jiG',
  '15xto2VvjW/8KMYP63VTcya4bFsx5wTKs0CfutkuJQ9n+B4WfGyziqqa',
];

const texts = (text: string) => detectSecrets(text).map((s) => text.slice(s.start, s.end));

describe('spans', () => {
  it('are sorted, non-overlapping JavaScript string indices', () => {
    const text = `🔑 ${GH} 日本語 then password=${'Tr0ub4dor#3xyz'} and ${AWS}`;
    const spans = detectSecrets(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual([GH, 'Tr0ub4dor#3xyz', AWS]);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThan(spans[i - 1].end);
    expect(typeof DETECTOR_VERSION).toBe('number');
  });

  it('merge when they overlap or touch, the most specific tier naming the kind', () => {
    const sink = new SpanSink();
    sink.add(10, 20, 'generic-secret', 'assignment');
    sink.add(10, 20, 'github-pat', 'token');
    sink.add(20, 25, 'password', 'assignment');
    sink.add(30, 40, 'url-password', 'structure');
    sink.add(35, 45, 'password', 'assignment');
    expect(mergeSpans('x'.repeat(50), sink)).toEqual([
      { start: 10, end: 25, kind: 'github-pat' },
      { start: 30, end: 45, kind: 'url-password' },
    ]);
    // a header and the token in it: one span, named by the token's format
    expect(detectSecrets(`Authorization: Bearer ${GH}`)).toEqual([{ start: 22, end: 62, kind: 'github-pat' }]);
  });

  it('drop a secret-named value that claims a token format without having it', () => {
    expect(detectSecrets('"token1": "xoxp-1234567890"')).toEqual([]);
    expect(detectSecrets('export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...')).toEqual([]);
    expect(texts(`"token": "${GH}"`)).toEqual([GH]);
  });
});

describe('escape-aware boundaries', () => {
  it('finds the same secret, with the same text, in decoded text and in once- and twice-encoded JSON', () => {
    const plain = `cat .env\nAWS_ACCESS_KEY_ID=${AWS}\nDB_PASSWORD="Tr0ub4dor&3xyz"\n`;
    const once = JSON.stringify({ content: plain });
    const twice = JSON.stringify({ output: JSON.stringify({ output: plain }) });
    for (const t of [plain, once, twice]) expect(texts(t)).toEqual([AWS, 'Tr0ub4dor&3xyz']);
  });

  it('treats an escaped newline as a boundary but a letter as part of a longer word', () => {
    expect(texts(`first line\\n${AWS}\\nnext`)).toEqual([AWS]);
    expect(texts(`prefix\\\\n${GH}`)).toEqual([GH]);
    expect(detectSecrets(`x${AWS}`)).toEqual([]);
    expect(detectSecrets(`${GH}extra`)).toEqual([]);
  });

  it('masks a private key body whose newlines are JSON escapes, once or twice, without the escapes around it', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY.join('\n')}\n-----END PRIVATE KEY-----\n`;
    for (const t of [JSON.stringify({ private_key: pem }), JSON.stringify({ o: JSON.stringify({ private_key: pem }) })]) {
      const [span] = detectSecrets(t);
      const body = t.slice(span.start, span.end);
      expect(body.startsWith(PEM_BODY[0])).toBe(true);
      expect(body.endsWith(PEM_BODY[2])).toBe(true);
      expect(t.slice(span.end)).toMatch(/^\\+n-----END PRIVATE KEY-----/);
    }
  });
});

describe('what session logs are full of is not secret', () => {
  it('ids, signatures, encrypted content, digests, integrity hashes, media, public keys, publishable keys, ARNs', () => {
    const lines = [
      JSON.stringify({
        type: 'assistant',
        requestId: 'req_011CqSVEDLU2uZFDMfxUVmQo',
        message: {
          id: 'msg_01ghSBmWIepkNOS09kBpPUV9',
          content: [
            { type: 'thinking', thinking: 'Check the token refresh.', signature: 'Er7AuG6VTDJfoeUkGgiGAriz2t7WXW7LfoiK7lT2p3WkJY0U6IYp9nGm1+PjcucTrsj3u+xjt1C9U1Fd/b5gvNls7drQM1YJzJVOcx7A' },
            { type: 'tool_use', id: 'toolu_01BlJNZIePeEEzC6OxCm4sSI', name: 'Bash', input: { command: 'npm test' } },
          ],
        },
        uuid: 'ff735454-9d1f-4d63-b81d-f53462c57c1f',
      }),
      JSON.stringify({ type: 'reasoning', id: 'rs_08079be3702714abd3f2f684428582e0767fdc28db626ba1', encrypted_content: 'gAAAAABCIx959mS8FQZ0gN-VSbIXHX5fIQQw2_Y4pfTWJ4gqrUVePNMnACdkgsOrdiJr3DKeb_yZr-pV9jYNlOV8GhrVbQfcGZWIFELNa7O1C' }),
      JSON.stringify({ type: 'function_call_output', call_id: 'call_X9Oqr3uLrOklV6d1ubZh5E4R', output: 'ok' }),
      '"integrity": "sha512-S908qp/lgnqL9LPS/iuArp71hUGYsm75wl7iRdBSjg0vi8OZU9/KvQjnNcVo4aBSslJSh4QdAf92wOah84PrvQ==",',
      'ghcr.io/acme/web   latest   sha256:d8925605ab31a4073d51e1894521d9542915c32a6b896dd2c23f1f3b9b9c46a1',
      'commit 96b3a89e99ddba835bf769dc378895d9e04fe1c7 request_id=45acfc2d-4502-4fdb-a8fc-3e3bd335841b',
      '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAArpOdBl6iCZ36A7diRSuJx5lvUIh34ZnbJvFngW2Wtis+G2GSm5tW+rvPqFu+WV1510ozBN2IyrdgEb3EOfua5cuD6JqmzknudVSC52G1PyFW">',
      '"data": "iVBORw0KGgoAAAANSUhEUgAAArpOdBl6iCZ36A7diRSuJx5lvUIh34ZnbJvFngW2Wtis+G2GSm5tW+rvPqFu+WV1510ozBN2IyrdgEb3EOfua5cu"',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB/e5X7WtrCxvT7jN/wYoVDZ8Qujxao7uS7HC9Rux7p5 dev@laptop',
      'const stripe = Stripe("pk_live_aQNibbr5incnunI9QHKESlhe");',
      '"client_id": "802445812343-8vq3n1k2l4m5n6o7p8q9r0s1t2u3v4w5.apps.googleusercontent.com"',
      'arn:aws:iam::588250857177:role/LambdaExec arn:aws:lambda:us-east-1:690593255288:function:data-pipeline',
      'The access key id looks like `AKIAIOSFODNN7EXAMPLE` and the secret like `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`.',
      "Incorrect API key provided: sk-proj-********************tDI2. You can find your API key at https://platform.openai.com.",
      'traceparent: 00-85095665d84800304fa89109cd41f527-23341585bb23e613-01',
      'password: "********"\napi_key: "[REDACTED]"\ntoken: "<redacted>"\nclient_secret: "xxxxxxxxxxxxxxxxxxxxxxxx"',
    ];
    for (const line of lines) expect(detectSecrets(line), line).toEqual([]);
  });

  it.each([
    ['${DB_PASSWORD}', true], ['{{ secrets.TOKEN }}', true], ['$(cat /run/secrets/x)', true], ['<your-api-key>', true],
    ['your-api-key-here', true], ['changeme', true], ['REDACTED', true], ['xxxxxxxx', true], ['********', true],
    ['sk-…abcd', true], ['password', true], ['p@ssw0rd', true], ['my_password', true], ['%(password)s', true],
    ['Tr0ub4dor&3xyz', false], ['m{{h}o)p${e]nob(ody[finds>-_$#thisone}}', false], ['%U2VoIoVRuykQM', false],
    ['secretKey456', false], ['whywouldyouusehttpforpasswords', false],
  ])('isPlaceholder(%j) is %s', (value, expected) => {
    expect(isPlaceholder(value)).toBe(expected);
  });

  it.each([
    ['555ea4a3-d53a-4412-9c66-3a7cb667b0d6', true], ['96b3a89e99ddba835bf769dc378895d9e04fe1c7', true],
    ['sha512-S908qp/lgnqL9LPS', true], ['toolu_01BlJNZIePeEEzC6OxCm4sSI', true], ['msg_01ghSBmWIepkNOS09kBpPUV9', true],
    ['pk_live_aQNibbr5incnunI9QHKESlhe', true], ['arn:aws:s3:::bucket', true], ['/etc/ssl/private/key.pem', true],
    ['https://api.example.com/v1', true], ['1.24.3', true], ['gAAAAABCIx959mS8FQZ0', true],
    ['Zq8RmV3kXw7NbT2sLp9YhC4dJf6GtA1e', false], ['dapi654edfd46babf28cd7ef3f5109671e9a', false],
  ])('isKnownNonSecret(%j) is %s', (value, expected) => {
    expect(isKnownNonSecret(value)).toBe(expected);
  });

  it.each([
    ['DB_PASSWORD', 'password'], ['adminPassword', 'password'], ['auth.pass', 'password'], ['PGPASSWORD', 'password'],
    ['client_secret', 'secret'], ['GITHUB_TOKEN', 'secret'], ['x-api-key', 'secret'], ['SUMOLOGIC_ACCESSKEY', 'secret'],
    ['AccountKey', 'secret'], ['hmacKey', 'secret'], ['ADO_PAT', 'secret'], ['key', 'weak'], ['auth', 'weak'],
    ['kms_key_id', null], ['public_key', null], ['publicToken', null], ['secret_length', null], ['token_url', null],
    ['passwordField', null], ['max_tokens', null], ['cache_key', null], ['primaryKey', null], ['keyPressed', null], ['tokenizer', null],
    ['key_vault_name', null], ['Unexpected_token_Did_you_mean_or_gt_1382', null], ['monkey', null],
  ])('classifyKey(%j) is %s', (key, expected) => {
    expect(classifyKey(key)).toBe(expected);
  });

  it('tells random tokens from names and words', () => {
    expect(looksRandom('Zq8RmV3kXw7NbT2sLp9YhC4dJf6GtA1e')).toBe(true);
    expect(looksRandom('t23wwnwlwrjswccbihqvcql6mt2ab37ezqbdq3ubzngadf4k2fzu')).toBe(true);
    expect(looksRandom('ca63faa87da78be79d9051635c63556bcb0f125c5b6349148cc1fbb9c0108475')).toBe(true);
    expect(looksRandom('SalesResults-1.2-Quarterly')).toBe(false);
    expect(looksRandom('id-Gost28147-89-None-KeyMeshing')).toBe(false);
    expect(looksRandom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')).toBe(false);
  });
});

describe('masking', () => {
  it('replaces each span by ‹kind› and keeps the rest', () => {
    expect(redactText(`aws ${AWS} / gh ${GH}.`)).toBe('aws ‹aws-access-key› / gh ‹github-pat›.');
    expect(redactText('nothing to hide')).toBe('nothing to hide');
  });

  it('masks a window of a long text with the spans found on all of it, secrets cut by the edge included', () => {
    const text = `export DB_PASSWORD=Tr0ub4dor#3xyz\nnext line ${GH} end`;
    const spans = detectSecrets(text);
    // the window starts inside the password: on its own it has no key, but the spans of the whole text mask it
    const from = text.indexOf('dor#3');
    expect(detectSecrets(text.slice(from))).toHaveLength(1);
    expect(maskSlice(text, spans, from, text.length)).toBe('‹password›\nnext line ‹github-pat› end');
    expect(maskSlice(text, spans, 0, 7)).toBe('export ');
    expect(maskSlice(text, spans, 10, 5)).toBe('');
  });

  it('clips spans that are out of range or overlap an earlier one', () => {
    expect(maskSecrets('abcdefghij', [{ start: 2, end: 5, kind: 'k' }, { start: 4, end: 7, kind: 'k' }, { start: 9, end: 99, kind: 'k' }])).toBe(
      'ab‹k›‹k›hi‹k›',
    );
  });
});

describe('adversarial input', () => {
  // 5 MB for the two inputs the issue names; 2 MB for the others (quadratic work would still take minutes)
  const MB5 = 5 * 1024 * 1024;
  const MB2 = 2 * 1024 * 1024;
  const repeat = (unit: string, size = MB2) => () => unit.repeat(Math.ceil(size / unit.length));
  const base64 = () => {
    let seed = 7;
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const out: string[] = [];
    for (let i = 0; i < MB5; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      out.push(B64[seed % 64]);
    }
    return out.join('');
  };
  // each input is built inside its test, so that only one multi-megabyte string is alive at a time
  const cases: [string, () => string][] = [
    ['a 5 MB line of base64', base64],
    ['repeated a=', repeat('a=', MB5)],
    ['repeated key=', repeat('key=')],
    ['repeated password=', repeat('password=')],
    ['repeated "token": "', repeat('"token": "')],
    ['an unclosed quoted value', () => `"token": "${'x'.repeat(MB2)}`],
    ['BEGIN lines without END', repeat('-----BEGIN RSA PRIVATE KEY-----\n')],
    ['repeated eyJ', repeat('eyJ')],
    ['repeated -eyJ.', repeat('-eyJ.')],
    ['repeated ://', repeat('://')],
    ['repeated user:pass@', () => `https://${'a:b@'.repeat(MB2 / 4)}`],
    ['repeated Bearer', repeat('Authorization: Bearer ')],
    ['repeated escaped quotes', repeat('\\"')],
    ['repeated AKIA', repeat('AKIA')],
    ['repeated s.', repeat('s.')],
    ['repeated pipes', repeat('|')],
    ['repeated digits and :AA', repeat('1234567890:AA')],
    ['repeated 0x', repeat('0x')],
    ['repeated -p flags', repeat('mysql -p')],
    ['repeated Q~', repeat('abc1Q~')],
    ['one long word', () => 'x'.repeat(MB2)],
  ];
  for (const [name, build] of cases) {
    // measured in CPU time, best of three: the machine is shared, and a neighbour's load is not ours
    it(`${name} takes under a second`, () => {
      const text = build();
      let best = Infinity;
      for (let attempt = 0; attempt < 3 && best >= 1000; attempt++) {
        const before = process.cpuUsage();
        detectSecrets(text);
        const used = process.cpuUsage(before);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      expect(best).toBeLessThan(1000);
    });
  }
});
