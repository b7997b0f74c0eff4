// e2e break switch "no-diagnostics" (CLAN_VARS_E2E_BREAK=no-diagnostics): stands in for
// dist/server.js in a staged copy of the extension (never in the real build). It runs the real
// server (server.real.js next to it) but drops every textDocument/publishDiagnostics message, over
// IPC (VS Code) and stdio (Neovim). The e2e suites must then fail.
'use strict';
const DROPPED = 'textDocument/publishDiagnostics';

if (typeof process.send === 'function') {
  const send = process.send.bind(process);
  process.send = (message, ...rest) => {
    if (message && message.method === DROPPED) {
      const callback = rest.find((a) => typeof a === 'function');
      if (callback) setImmediate(() => callback(null));
      return true;
    }
    return send(message, ...rest);
  };
}

// stdio: messages are "Content-Length: N\r\n\r\n<body>", possibly split over several writes
const write = process.stdout.write.bind(process.stdout);
let buffered = Buffer.alloc(0);
process.stdout.write = (chunk, encoding, callback) => {
  if (typeof encoding === 'function') [callback, encoding] = [encoding, undefined];
  buffered = Buffer.concat([buffered, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding || 'utf8')]);
  for (;;) {
    const headerEnd = buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) break;
    const match = /Content-Length: *(\d+)/i.exec(buffered.subarray(0, headerEnd).toString('ascii'));
    const length = match ? Number(match[1]) : 0;
    const end = headerEnd + 4 + length;
    if (buffered.length < end) break;
    const frame = buffered.subarray(0, end);
    buffered = buffered.subarray(end);
    const body = frame.subarray(headerEnd + 4).toString('utf8');
    if (!body.includes(`"method":"${DROPPED}"`)) write(frame);
  }
  if (callback) setImmediate(() => callback(null));
  return true;
};

require('./server.real.js');
