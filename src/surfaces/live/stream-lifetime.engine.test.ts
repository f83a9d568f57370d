import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformFetch } from '../../../test-support/api-client.js';
import {
  ConsoleBrowser,
  fetchSend,
  loginLinkCli,
  SoftwareAuthenticator,
} from '../../../test-support/console-browser.js';
import { fleetDataDir, startTestPlatform, STORE } from '../../../test-support/platform.js';
import { openStream } from '../../../test-support/sse-client.js';
import { issueToken, loadTokenKeys } from '../api/tokens.js';
import { consoleBaseUrl } from '../console-auth/relying-party.js';

const COOKIE = '__Host-fp_session';

/** Whether the stream ended within `ms`. */
function endsWithin(ended: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([
    ended.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
}

// A stream is authorised once, when it opens, and stays open for hours: it must end when what
// authorised it ends, or a signed-out tablet would go on receiving its store's events.
describe('live stream lifetime', () => {
  it("ends a console session's streams when it signs out, and a token's stream when the token expires", async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const origin = consoleBaseUrl(platform.apiUrl);
    const send = fetchSend(platform.apiUrl, platformFetch(platform));
    const { code, io } = await loginLinkCli('--data', data, '--role', 'staff', '--store', STORE);
    assert.equal(code, 0, io.text());
    const link = io.stdout.at(-1)!.split('#link=')[1]!;
    const key = new SoftwareAuthenticator({ origin });
    const tablet = new ConsoleBrowser(send, key, COOKIE);
    assert.equal((await tablet.enrol(link)).status, 200);
    const phone = new ConsoleBrowser(send, key, COOKIE);
    assert.equal((await phone.signIn('staff')).status, 200);

    const stream = (cookie: string | undefined) =>
      openStream(t, platform, '/v1/stream', undefined, { cookie: cookie ?? '' });
    const onTablet = await stream(tablet.cookie);
    const alsoOnTablet = await stream(tablet.cookie);
    const onPhone = await stream(phone.cookie);
    for (const s of [onTablet, alsoOnTablet, onPhone]) assert.equal(s.status, 200);

    assert.equal((await tablet.request('POST', '/v1/auth/signout')).status, 204);
    assert.ok(await endsWithin(onTablet.ended, 2000), "the signed-out session's stream ended");
    assert.ok(await endsWithin(alsoOnTablet.ended, 2000), 'every stream of that session ended');
    assert.equal(await endsWithin(onPhone.ended, 500), false, 'another session is left alone');

    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const shortLived = await issueToken(
      keys,
      { role: 'staff', store: STORE, ttlSeconds: 2 },
      new Date(),
    );
    const scripted = await openStream(t, platform, '/v1/stream', shortLived);
    assert.equal(scripted.status, 200);
    assert.ok(await endsWithin(scripted.ended, 5000), "the token's stream ended at its expiry");
    assert.equal(await endsWithin(onPhone.ended, 10), false);
  });
});
