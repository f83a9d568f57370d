import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookUrlRefusal } from './webhook-url.js';

describe('webhook URL check', () => {
  it('takes https anywhere and plain http only to a loopback host', () => {
    for (const ok of [
      'https://hooks.example.com/fleet',
      'https://10.0.0.5:8443/x',
      'http://localhost:9000/hook',
      'http://127.0.0.1:9000/hook',
      'http://127.8.9.10/hook',
      'http://[::1]:9000/hook',
    ]) {
      assert.equal(webhookUrlRefusal(ok), undefined, ok);
    }
  });

  it('says https is required when plain http goes to another host', () => {
    assert.match(
      webhookUrlRefusal('http://hooks.example.com/fleet') ?? '',
      /must be https.*loopback.*hooks\.example\.com/,
    );
    assert.match(webhookUrlRefusal('http://10.0.0.5/x') ?? '', /must be https/);
  });

  it('refuses other schemes, relative URLs and credentials in the URL', () => {
    assert.match(webhookUrlRefusal('ftp://example.com/x') ?? '', /must be http\(s\), not ftp/);
    assert.match(webhookUrlRefusal('file:///etc/passwd') ?? '', /not file/);
    assert.match(webhookUrlRefusal('/hook') ?? '', /not an absolute URL/);
    assert.match(webhookUrlRefusal('https://u:p@example.com/') ?? '', /user name or password/);
  });
});
