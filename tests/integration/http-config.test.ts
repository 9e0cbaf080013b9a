import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig, normalizeOrigin } from '../../src/server/config';
import { closeReason, createRedactor, redactHeaders } from '../../src/server/relay/redact';
import { upstreamRestUrl, upstreamSocketUrl } from '../../src/server/relay/upstream';
import { createOriginPolicy, isLoopbackAddress } from '../../src/server/relay/origin';
import { closeCodeForStatus, isSendableCloseCode } from '../../src/server/relay/close-codes';
import type { IncomingMessage } from 'node:http';

describe('server configuration', () => {
  it('has safe defaults: loopback, port 4001, xStar upstream, relay off', () => {
    const config = loadServerConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4001);
    expect(config.relay.upstreamUrl.href).toBe('wss://api.xstar.city/v1/realtime');
    expect(config.relay.apiKey).toBeNull();
    expect(config.relay.allowedOrigins).toBeNull();
    expect(config.relay.recordDir).toBeNull();
    expect(config.emulator.apiKey).toBeNull();
  });

  it('reads every variable', () => {
    const config = loadServerConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      REALTIME_UPSTREAM_URL: 'wss://api.openai.com/v1/realtime',
      REALTIME_API_KEY: ' sk-x ',
      EMULATOR_API_KEY: 'sk-e',
      RELAY_ALLOWED_ORIGINS: 'http://127.0.0.1:4001,https://Console.Example:443',
      RECORD_DIR: '/tmp/rec',
    });
    expect(config.port).toBe(0);
    expect(config.host).toBe('0.0.0.0');
    expect(config.relay.apiKey).toBe('sk-x');
    expect(config.relay.allowedOrigins).toEqual(['http://localhost:4001', 'https://console.example']);
    expect(config.relay.recordDir).toBe('/tmp/rec');
    expect(config.emulator.apiKey).toBe('sk-e');
  });

  it.each([
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: 'abc' }, /PORT/],
    [{ REALTIME_UPSTREAM_URL: 'https://api.xstar.city/v1/realtime' }, /ws:\/\/ or wss:\/\//],
    [{ REALTIME_UPSTREAM_URL: 'not a url' }, /not a URL/],
    [{ REALTIME_UPSTREAM_URL: 'wss://user:secret@host/v1/realtime' }, /credentials/],
    [{ RELAY_ALLOWED_ORIGINS: '*' }, /"\*"/],
    [{ RELAY_ALLOWED_ORIGINS: 'ftp://x' }, /invalid origin/],
  ])('rejects %j with a ConfigError', (env, message) => {
    expect(() => loadServerConfig(env)).toThrow(ConfigError);
    expect(() => loadServerConfig(env)).toThrow(message);
  });

  it('treats localhost, 127.0.0.1 and [::1] alike in origins', () => {
    expect(normalizeOrigin('http://127.0.0.1:4001')).toBe('http://localhost:4001');
    expect(normalizeOrigin('http://[::1]:4001')).toBe('http://localhost:4001');
    expect(normalizeOrigin('HTTP://LOCALHOST:4001/')).toBe('http://localhost:4001');
    expect(normalizeOrigin('https://a.example:443')).toBe('https://a.example');
    expect(normalizeOrigin('null')).toBeNull();
  });
});

describe('relay helpers', () => {
  it('maps relay REST routes onto the upstream next to its realtime path', () => {
    const xstar = new URL('wss://api.xstar.city/v1/realtime');
    expect(upstreamRestUrl(xstar, 'models', '').href).toBe('https://api.xstar.city/v1/models');
    expect(upstreamRestUrl(xstar, 'realtime/voiceList', '').href).toBe('https://api.xstar.city/v1/realtime/voiceList');
    expect(upstreamRestUrl(xstar, 'realtime', '?model=m&userId=u').href).toBe('https://api.xstar.city/v1/realtime?model=m&userId=u');
    const local = new URL('ws://127.0.0.1:9/v1/realtime?model=default');
    expect(upstreamSocketUrl(local, '?model=chosen&userId=u').href).toBe('ws://127.0.0.1:9/v1/realtime?model=chosen&userId=u');
    expect(upstreamRestUrl(local, 'models', '').href).toBe('http://127.0.0.1:9/v1/models');
  });

  it('redacts the key, bearer tokens and key subprotocols', () => {
    const redact = createRedactor(['my-secret-key', null, '']);
    expect(redact('x my-secret-key y')).toBe('x [redacted] y');
    expect(redact('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(redact('realtime, openai-insecure-api-key.sk-123, openai-beta.realtime-v1')).toBe(
      'realtime, openai-insecure-api-key.[redacted], openai-beta.realtime-v1',
    );
    expect(redact('key sk-abcdefghijklmnop end')).toBe('key sk-[redacted] end');
    const headers = redactHeaders({ authorization: 'Bearer a', cookie: 'c=1', 'sec-websocket-protocol': 'openai-insecure-api-key.k1' }, redact);
    expect(headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', 'sec-websocket-protocol': 'openai-insecure-api-key.[redacted]' });
  });

  it('keeps close reasons within 123 bytes without splitting a character', () => {
    const redact = createRedactor([]);
    const reason = closeReason('上游'.repeat(100), redact);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(reason).toBe('上游'.repeat(20) + '上');
    expect(closeReason('short', redact)).toBe('short');
  });

  it('maps upstream statuses to close codes and knows which codes can be sent', () => {
    expect([401, 403, 429, 404, 400, 500, 502, 503, 504].map(closeCodeForStatus)).toEqual([4401, 4403, 4429, 4404, 4400, 4502, 4502, 4502, 4504]);
    expect([1000, 1008, 1009, 4000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([1004, 1005, 1006, 1015, 999, 5000].some(isSendableCloseCode)).toBe(false);
  });

  it('accepts requests without Origin only from loopback peers', () => {
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('192.168.1.5')).toBe(false);
    const policy = createOriginPolicy(null, () => ({ port: 4001, tls: false, host: '127.0.0.1' }));
    const req = (origin: string | undefined, remoteAddress: string) =>
      ({ headers: origin ? { origin } : {}, socket: { remoteAddress } }) as unknown as IncomingMessage;
    expect(policy(req(undefined, '127.0.0.1')).allowed).toBe(true);
    expect(policy(req(undefined, '192.168.1.5')).allowed).toBe(false);
    expect(policy(req('http://127.0.0.1:4001', '192.168.1.5')).allowed).toBe(true);
    expect(policy(req('http://evil.example:4001', '127.0.0.1')).allowed).toBe(false);
    // Bound to a LAN address: that address on the same port is the console's own origin too.
    const lan = createOriginPolicy(null, () => ({ port: 4001, tls: true, host: '192.168.1.5' }));
    expect(lan(req('https://192.168.1.5:4001', '192.168.1.9')).allowed).toBe(true);
    expect(lan(req('http://192.168.1.5:4001', '192.168.1.9')).allowed).toBe(false);
  });
});
