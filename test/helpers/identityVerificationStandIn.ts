// A local stand-in of PortOne V2's identity verification API on 127.0.0.1: GET /identity-verifications/:id answers
// as PortOne does (status VERIFIED with the verified customer, or 404 IDENTITY_VERIFICATION_NOT_FOUND), and only to
// a request carrying "Authorization: PortOne <secret>". The app's real @portone/server-sdk client talks to it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPortOneVerifier, type IdentityVerifier } from '../../src/identity/portone.js';

export const PORTONE_SECRET = 'test-portone-secret';

export interface PortOneStandIn {
  url: string;
  verifier(): IdentityVerifier;
  /**
   * marks a verification id as completed by this person, as PortOne would after the carrier confirmed (or
   * answers it with another status, e.g. READY for one the person has not finished)
   */
  verify(
    id: string,
    customer: { ci: string; birthDate: string; phoneNumber?: string; name?: string },
    status?: string,
  ): void;
  /** ids asked for, in order */
  asked: string[];
  close(): Promise<void>;
}

export async function startPortOneStandIn(): Promise<PortOneStandIn> {
  const done = new Map<string, Record<string, unknown>>();
  const statuses = new Map<string, string>();
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `PortOne ${PORTONE_SECRET}`)
      return json(401, { type: 'UNAUTHORIZED', message: 'bad secret' });
    const m = /^\/identity-verifications\/([^/?]+)/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) return json(404, { type: 'NOT_FOUND' });
    const id = decodeURIComponent(m[1]!);
    asked.push(id);
    const customer = done.get(id);
    if (!customer)
      return json(404, { type: 'IDENTITY_VERIFICATION_NOT_FOUND', message: 'no such verification' });
    const at = new Date().toISOString();
    json(200, {
      status: statuses.get(id) ?? 'VERIFIED',
      id,
      verifiedCustomer: customer,
      requestedAt: at,
      updatedAt: at,
      statusChangedAt: at,
      verifiedAt: at,
      pgTxId: `pg-${id}`,
      pgRawResponse: '{}',
      version: 'V2',
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    asked,
    verifier: () =>
      createPortOneVerifier({
        secret: PORTONE_SECRET,
        storeId: 'store-test',
        channelKey: 'channel-test',
        baseUrl: url,
      }),
    verify(id, c, status) {
      if (status) statuses.set(id, status);
      done.set(id, {
        name: c.name ?? '홍길동',
        ci: c.ci,
        birthDate: c.birthDate,
        phoneNumber: c.phoneNumber,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
