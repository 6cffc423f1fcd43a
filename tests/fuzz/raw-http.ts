/**
 * A raw HTTP client for the fuzzer: the path goes on the wire as given (fetch and URL would resolve "..",
 * re-encode and refuse lone surrogates), headers may carry raw bytes, bodies are bytes.
 */
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** As sent on the request line; see encodePathPart. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * A kept-alive socket that the server closed as idle just as a request went out on it is reset before the request
 * reaches the server (the race Node's http docs describe); such a request is sent again once, on a new socket, as
 * those docs advise. Anything else — a reset on a fresh socket, or after an answer began — is the server's doing
 * and fails the test.
 */
export async function send(base: { host: string; port: number }, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  try {
    return await sendOnce(base, request, timeoutMs);
  } catch (error) {
    if ((error as RaceError).reusedSocketReset) return sendOnce(base, request, timeoutMs);
    throw error;
  }
}

interface RaceError extends Error {
  reusedSocketReset?: boolean;
}

function sendOnce(base: { host: string; port: number }, request: RawRequest, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered: RawResponse | undefined;
    const req = http.request(
      {
        host: base.host,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) },
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          answered = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
          resolve(answered);
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // The server may answer (413) and close before the whole body is written: the answer is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      if (req.reusedSocket && error.code === 'ECONNRESET') (error as RaceError).reusedSocketReset = true;
      reject(error);
    });
    if (request.body) req.end(request.body);
    else req.end();
  });
}

/**
 * Percent-encodes text for a path or query: UTF-8 bytes, and a lone surrogate as the three bytes it would have
 * (invalid UTF-8, as a hostile client would send). `raw` leaves printable ASCII (also "/", "%", "..") as it is.
 */
export function encodePathPart(text: string, raw = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map(hex).join('');
    } else if (raw && code > 0x20 && code < 0x7f && text[i] !== '#') {
      out += text[i];
    } else {
      out += encodeURIComponent(text[i]!);
    }
  }
  return out;
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** A header value as raw bytes on the wire (UTF-8 read as Latin-1), without the characters HTTP forbids. */
export function headerValue(text: string): string {
  return Buffer.from(text.replace(/[\uD800-\uDFFF]/g, '?'), 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}
