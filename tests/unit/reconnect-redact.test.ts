// The URL the connect entry of the log shows: credentials in the query or the authority are masked, everything
// else (host, path, model, userId) stays readable.
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/app/bridge';

describe('redactUrl', () => {
  it('masks credential-like query parameters and user:password, keeps the rest', () => {
    const secret = ['s', 'e', 'c', 'r', 'e', 't', '9', '9'].join('');
    const out = redactUrl(`wss://user:${secret}@api.example.com/v1/realtime?model=m%40p&userId=u1&api_key=${secret}&token=${secret}&access_token=${secret}&Authorization=${secret}`);
    expect(out.includes(secret)).toBe(false);
    const u = new URL(out);
    expect(u.host).toBe('api.example.com');
    expect(u.pathname).toBe('/v1/realtime');
    expect(u.searchParams.get('model')).toBe('m@p');
    expect(u.searchParams.get('userId')).toBe('u1');
    for (const k of ['api_key', 'token', 'access_token', 'Authorization']) expect(u.searchParams.get(k)).toBe('***');
    expect(u.username).toBe('***');
  });

  it('leaves a URL without credentials unchanged and masks even an unparsable one', () => {
    expect(redactUrl('ws://127.0.0.1:4001/v1/realtime?model=x&userId=y')).toBe('ws://127.0.0.1:4001/v1/realtime?model=x&userId=y');
    expect(redactUrl('not a url?key=abc&x=1')).toBe('not a url?key=***&x=1');
  });
});
