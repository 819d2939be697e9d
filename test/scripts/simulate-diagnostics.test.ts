// The simulator's diagnostics: the kernel's dropped connections, read from /proc/net/netstat's text.
import test from 'ava';
import { listenOverflowsIn } from '../../scripts/simulate/diagnostics.js';

const NETSTAT = `TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPHPHits
TcpExt: 0 0 72344 72344 15
IpExt: InNoRoutes InTruncatedPkts
IpExt: 0 0
`;

test('ListenOverflows is read by its name from the TcpExt lines', (t) => {
  t.is(listenOverflowsIn(NETSTAT), 72344);
  t.is(listenOverflowsIn(NETSTAT.replace('ListenOverflows', 'Other')), null, 'a kernel without the counter');
  t.is(listenOverflowsIn('IpExt: InNoRoutes\nIpExt: 0\n'), null, 'no TcpExt lines');
  t.is(listenOverflowsIn('TcpExt: ListenOverflows\n'), null, 'names without values');
});
