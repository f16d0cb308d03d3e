// The suites' own listeners (the scripted model server and the Storage/Auth double)
// bind their fixed ports once per test file. A port inside the kernel's ephemeral range
// can be, at that moment, the local end of one of the thousands of client connections
// the suites open (or that connection's minute in TIME_WAIT), and the bind then fails
// with EADDRINUSE at random. Their defaults therefore lie below the range.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultModelServerPort } from '../support/model-server';

function ephemeralRange(): [number, number] {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  return [low, high];
}

describe('default ports of the test doubles', () => {
  it('lie outside the ephemeral port range, so no client connection can be holding them', () => {
    const [low, high] = ephemeralRange();
    for (const port of [defaultModelServerPort, defaultModelServerPort - 1]) {
      expect(port < low || port > high, `${port} lies in ${low}–${high}`).toBe(true);
    }
  });
});
