// A real SMTP server (the smtp-server package) on 127.0.0.1 that parses what it receives with mailparser.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpStandIn {
  /** smtp://user:pass@127.0.0.1:port */
  url: string;
  received: ParsedMail[];
  /** SMTP reply codes for the next RCPT TO commands, in order (e.g. 451 then 550); afterwards accepted */
  refuseNext(...codes: number[]): void;
  close(): Promise<void>;
}

export async function startSmtpStandIn(): Promise<SmtpStandIn> {
  const received: ParsedMail[] = [];
  const refusals: number[] = [];
  const server = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'notify' && auth.password === 'secret') return cb(null, { user: 'notify' });
      return cb(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, cb) {
      const code = refusals.shift();
      if (!code) return cb();
      const err = Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
        responseCode: code,
      });
      return cb(err);
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://notify:secret@127.0.0.1:${port}`,
    received,
    refuseNext: (...codes) => refusals.push(...codes),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
