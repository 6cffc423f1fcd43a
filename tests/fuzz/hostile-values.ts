/**
 * What an attacker (or a clumsy client) sends: strings, JSON values and raw bodies chosen to break parsers,
 * validators, stores, search and exports. Each family is named so that a failing run says what it tried.
 */
import fc from 'fast-check';

/** Unicode edge cases: lone surrogates, bidi controls, zero-width characters, combining Khmer, odd forms. */
export const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uD83Db', // high surrogate in the middle
  '\uDE00\uD83D', // a pair in the wrong order
  '😀', // an astral character (a valid pair)
  '\u202Eevil\u202C', // right-to-left override
  '\u200F\u200E\u061C\u2066\u2069', // RTL/LTR marks and isolates
  '\u200B\u200C\u200D\u2060\uFEFF', // zero-width space, joiners, word joiner, BOM
  'ក\u17D2\u200Bរ', // a Khmer subscript with a zero-width space inside it
  'ក\u17C1\u17C7\u17CC\u17CD\u17CE\u17CF\u17D0\u17D1', // a Khmer letter under a pile of combining signs
  '\u17B4\u17B5', // Khmer inherent vowels (invisible)
  '\u17D2\u17D2\u17D2', // coeng with nothing to join
  'ក្រសួង\u200Bមុខងារ\u200Bសាធារណៈ',
  'e\u0301\u0301\u0301\u0301', // combining accents
  '\u0000', // NUL
  'a\u0000b',
  '\u0007\u001B[31m', // bell and an ANSI escape
  '\r\n', // CRLF (header and log injection)
  '\u2028\u2029\u0085', // line and paragraph separators, NEL
  '\uFFFE\uFFFF', // non-characters
  'ﬀ\u212A\u0130', // compatibility forms, Kelvin sign, dotted I
] as const;

/** Text shaped like Cypher, SQL or shell injection. */
export const CYPHER_SHAPED = [
  "'",
  '"',
  '`',
  "\\'",
  '\\',
  "' OR 1=1 //",
  "'}) MATCH (n) DETACH DELETE n //",
  '"}) MATCH (n) DETACH DELETE n //',
  '`) DETACH DELETE n; //',
  'x`:Admin {role: "admin"}) //',
  "dar' ; CALL dbms.security.createUser('x','y',false) //",
  '$(rm -rf /)',
  '${process.exit(1)}',
  '{{7*7}}',
  '$param',
  '/* comment */',
  '// comment',
  '; DROP DATABASE neo4j;',
  'LOAD CSV FROM "file:///etc/passwd" AS l RETURN l',
  '\\u0027) DETACH DELETE n //',
] as const;

/** HTML and script payloads. */
export const HTML_PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  'javascript:alert(1)',
  '<a href="javascript:alert(1)">x</a>',
  '&lt;b&gt;',
  '<!--',
  ']]><x>',
  '<![CDATA[<script>]]>',
  '{@html "<b>x</b>"}',
] as const;

/** Path traversal and odd encodings for ids in paths. */
export const TRAVERSAL = [
  '..',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5C..%5Cwindows%5Cwin.ini',
  '%252e%252e%252f',
  '....//....//etc/passwd',
  '%00',
  'dar%00.json',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80', // a lone surrogate, percent-encoded (invalid UTF-8)
  '%C0%AE%C0%AE%C0%AF', // overlong UTF-8 dots and slash
  '.',
  'dar/../dar',
  'dar;jsessionid=1',
  'dar?x=1',
  'dar#x',
] as const;

/** Property names that bite JavaScript objects. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'] as const;

/** Strings that look like other types or formulas. */
export const LOOKALIKES = [
  '',
  ' ',
  '\t',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '-1',
  '0x10',
  '1e309',
  'NaN',
  'Infinity',
  '9'.repeat(400),
  '=cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '+1+1',
  'dar',
  'DAR',
  'https://example.org/x',
  'http://localhost:8080/api/nodes',
  'file:///etc/passwd',
] as const;

/** One hostile string of any family, or random text mixing them with ordinary and Khmer characters. */
export function hostileString(options: { maxLength?: number; huge?: boolean } = {}): fc.Arbitrary<string> {
  const maxLength = options.maxLength ?? 40;
  const families = fc.constantFrom(...UNICODE_EDGES, ...CYPHER_SHAPED, ...HTML_PAYLOADS, ...TRAVERSAL, ...PROTOTYPE_KEYS, ...LOOKALIKES);
  const khmer = fc.integer({ min: 0x1780, max: 0x17ff }).map((c) => String.fromCharCode(c));
  const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const unit = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 1, minLength: 1 }) },
    { weight: 2, arbitrary: khmer },
    { weight: 1, arbitrary: surrogate },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(...UNICODE_EDGES) },
  );
  const mixed = fc.array(fc.oneof(unit, families), { maxLength }).map((parts) => parts.join(''));
  const arbitraries: fc.Arbitrary<string>[] = [families, mixed, families.chain((a) => families.map((b) => `${a}${b}`))];
  if (options.huge) arbitraries.push(hugeString());
  return fc.oneof(...arbitraries);
}

/** Strings from just under to well over every length limit (names 500, summaries 4000, body 1 MB). */
export function hugeString(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('x', 'ក', '\u200B', '<', "'", '😀', '\uD800'), fc.constantFrom(201, 501, 4001, 10_001, 100_000, 600_000, 1_100_000))
    .map(([c, n]) => c.repeat(Math.ceil(n / c.length)));
}

/** Any JSON value, with hostile strings, odd numbers, big arrays and deep nesting. */
export function hostileJson(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    hostileString(),
    fc.integer(),
    fc.constantFrom(0, -0, -1, 1.5, 2 ** 53 + 1, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString({ maxLength: 8 }), leaf, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(10, 1_000, 60_000).map((n) => Array.from({ length: n }, (_, i) => i)) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 100_000 }).map((depth) => new Deep(depth)) },
  );
}

/**
 * [[[…]]] or {"a":{"a":…}} `depth` deep, inside a value. Kept as a marker and written out by toJsonText: such a
 * value cannot be built and stringified in JavaScript without overflowing the stack.
 */
export class Deep {
  constructor(readonly depth: number) {}
  text(): string {
    return this.depth % 2 === 0 ? `${'['.repeat(this.depth)}${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
}

/** JSON text of a value that may hold Deep markers. */
export function toJsonText(value: unknown): string {
  const deep: Deep[] = [];
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Deep) {
        deep.push(v);
        return `\u0000deep-${deep.length - 1}\u0000`;
      }
      return v;
    }) ?? 'null';
  return deep.length === 0 ? text : text.replace(/"\\u0000deep-(\d+)\\u0000"/g, (_m, i: string) => deep[Number(i)]!.text());
}

/** A body as bytes, with the content type it is sent as. */
export interface RawBody {
  kind: string;
  contentType?: string;
  /** Other headers that say how to read it (Content-Encoding). */
  headers?: Record<string, string>;
  bytes: Buffer;
}

const JSON_TYPE = 'application/json';

/** Shows a body in a counterexample by its kind, type, size and first bytes (a body can be megabytes). */
export function described(body: RawBody): RawBody {
  return Object.defineProperty(body, fc.toStringMethod, {
    enumerable: false,
    value: () => {
      const head = body.bytes.subarray(0, 160).toString('utf8');
      return `RawBody(${body.kind}, ${JSON.stringify(body.contentType)}, ${body.bytes.length} bytes: ${JSON.stringify(head)}${body.bytes.length > 160 ? '…' : ''})`;
    },
  });
}

/** Bodies that are not valid JSON, or valid JSON of the wrong shape, under odd content types. */
export function hostileRawBody(): fc.Arbitrary<RawBody> {
  const text = (kind: string, contentType: string | undefined, s: string): RawBody => ({ kind, contentType, bytes: Buffer.from(s, 'utf8') });
  return fc.oneof(
    fc
      .constantFrom(
        '{',
        '{"label":',
        "{'label':'Topic'}",
        '{"a":1,}',
        '[1,2,',
        '{"a":NaN}',
        '{"a":undefined}',
        '{"a":0x10}',
        '{"a":"\\x41"}',
        '{"a":"\\ud800"}',
        '{"a":"\u0000"}',
        '\uFEFF{"label":"Topic"}',
        '{"__proto__":{"role":"admin","isAdmin":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        '{"name_en":"a","name_en":"b"}',
        'null',
        '"text"',
        '42',
        'true',
        '[]',
        '',
        ' ',
        '\n\n',
      )
      .map((s) => text('malformed', JSON_TYPE, s)),
    fc.integer({ min: 1_000, max: 200_000 }).map((depth) => text('deep-array-text', JSON_TYPE, `${'['.repeat(depth)}${']'.repeat(depth)}`)),
    fc.integer({ min: 1_000, max: 150_000 }).map((depth) => text('deep-object-text', JSON_TYPE, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
    fc.constantFrom(1_048_577, 3_000_000).map((n) => text('over-the-limit', JSON_TYPE, `{"name_en":"${'x'.repeat(n)}"}`)),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'random-bytes', contentType: JSON_TYPE, bytes: Buffer.from(bytes) })),
    fc
      .tuple(
        hostileJson(),
        fc.constantFrom(
          JSON_TYPE,
          'application/json; charset=utf-8',
          'application/json; charset=utf-16',
          'application/json; charset=utf-7',
          'application/json; charset=bogus',
          'application/vnd.api+json',
          'text/plain',
          'text/html',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          undefined,
        ),
      )
      .map(([value, contentType]) => text('json-under-odd-type', contentType, toJsonText(value))),
    fc.constantFrom('utf16le', 'latin1').map((encoding) => ({ kind: `json-in-${encoding}`, contentType: 'application/json; charset=utf-8', bytes: Buffer.from('{"label":"Topic","name_en":"é","name_km":"ក"}', encoding as BufferEncoding) })),
    fc.constantFrom('gzip', 'deflate', 'br', 'identity, gzip').map((encoding) => ({ kind: `content-encoding-${encoding}`, contentType: JSON_TYPE, headers: { 'content-encoding': encoding }, bytes: Buffer.from('not compressed at all') })),
  );
}
