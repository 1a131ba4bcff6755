// A local mail catcher for the demo: a real SMTP server (smtp-server) that keeps every message in
// memory, and a small web page that lists them. Never used in production.
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startMailCatcher({ smtpPort = 1025, httpPort = 1080, host = '127.0.0.1' } = {}) {
  const messages = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.unshift({
            at: new Date().toISOString(),
            from: mail.from?.text,
            to: session.envelope.rcptTo.map((r) => r.address).join(', '),
            subject: mail.subject,
            messageId: mail.messageId,
            text: mail.text,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve, reject) => smtp.listen(smtpPort, host, resolve).on('error', reject));

  const web = createServer((req, res) => {
    if (req.url === '/messages.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages));
      return;
    }
    const rows = messages
      .map(
        (m) =>
          `<article><h2>${escape(m.subject)}</h2><p><b>To:</b> ${escape(m.to)} · <b>At:</b> ${escape(m.at)} · <b>Message-ID:</b> ${escape(m.messageId)}</p><pre>${escape(m.text)}</pre></article>`,
      )
      .join('');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Demo mail (${messages.length})</title>` +
          `<style>body{font-family:system-ui;margin:2rem;max-width:60rem}article{border-bottom:1px solid #ccc;padding:.5rem 0}pre{white-space:pre-wrap}</style></head>` +
          `<body><h1>Demo mail catcher — ${messages.length} message(s)</h1>${rows || '<p>No mail yet.</p>'}</body></html>`,
      );
  });
  await new Promise((resolve, reject) => web.listen(httpPort, host, resolve).on('error', reject));
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    webUrl: `http://${host}:${httpPort}`,
    messages,
    close: () => Promise.all([new Promise((r) => smtp.close(r)), new Promise((r) => web.close(r))]),
  };
}
