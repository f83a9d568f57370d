/**
 * Why a webhook URL is refused, or undefined when it is fine. Deliveries carry alarm details, and
 * the signature proves who sent them but hides nothing: so HTTPS, except to this machine (a
 * receiver on loopback, a test), where plain HTTP never leaves the host. Credentials in the URL
 * are refused because the URL is listed to every ops caller; the secret is what authenticates.
 */
export function webhookUrlRefusal(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `url is not an absolute URL: ${raw}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `url must be http(s), not ${url.protocol.replace(/:$/, '')}`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'url must not carry a user name or password: receivers check the Fleetplane-Signature header instead';
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return `url must be https: plain http is allowed only to a loopback host (localhost, 127.0.0.1, [::1]), not ${url.hostname}`;
  }
  return undefined;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
