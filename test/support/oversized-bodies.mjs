/* global ReadableStream, AbortSignal */
// Sends oversized JSON bodies with Node's fetch from a process of its own (as a real client is: not
// sharing the API's event loop, which hides the race between the client still sending and the
// server closing), and prints what each request saw as JSON: { status, body } when a response
// arrived, { status: "failed: <code>", body: null } when only a broken connection did.
// Usage: node oversized-bodies.mjs '{"baseUrl","token","bytes","requests":[[method, path]…],"together":true,"chunked":false}'
// `together`: all requests at once (else one after another); `chunked`: no Content-Length, the body streamed in 64 KiB pieces.
const { baseUrl, token, bytes, requests, together, chunked } = JSON.parse(process.argv[2]);
const text = JSON.stringify({ reason: 'x'.repeat(bytes) });

function streamed() {
  const encoded = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= encoded.length) return controller.close();
      controller.enqueue(encoded.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function send([method, path]) {
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: chunked ? streamed() : text,
      ...(chunked ? { duplex: 'half' } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = await response.text();
    let body = answer;
    try {
      body = JSON.parse(answer);
    } catch {
      /* keep the text */
    }
    return { status: response.status, body };
  } catch (error) {
    const cause = error?.cause;
    return { status: `failed: ${cause?.code ?? cause?.message ?? error?.name ?? String(error)}`, body: null };
  }
}

const results = [];
if (together) results.push(...(await Promise.all(requests.map(send))));
else for (const request of requests) results.push(await send(request));
process.stdout.write(JSON.stringify(results));
