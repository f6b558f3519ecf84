import { describe, expect, it } from 'vitest';
import { callbackHostMatches } from './validation.js';

describe('a callback URL against the API user’s providerCallbackHost', () => {
  it.each([
    ['http://webhook.example.com/cb', 'webhook.example.com'],
    ['https://Webhook.Example.com:8443/cb', 'webhook.example.COM'],
    ['http://webhook.example.com:8080/cb', 'webhook.example.com:8080'],
    ['https://webhook.example.com/cb', 'webhook.example.com:443'],
    ['http://webhook.example.com/cb', 'webhook.example.com:80'],
    ['http://webhook.example.com:9000/cb', 'https://webhook.example.com'],
    ['http://[::1]:8080/cb', '[::1]:8080'],
    ['http://[::1]:8080/cb', '[::1]'],
    ['http://[::1]:8080/cb', '::1'],
    ['http://[::1]:8080/cb', '[0:0::1]:8080'],
    ['http://[2001:db8::1]/cb', '2001:DB8:0:0::1'],
    ['http://xn--bcher-kva.example/cb', 'bücher.example'],
  ])('accepts %s for %s', (callbackUrl, providerCallbackHost) => {
    expect(callbackHostMatches(callbackUrl, providerCallbackHost)).toBe(true);
  });

  it.each([
    ['http://other.example.com/cb', 'webhook.example.com'],
    ['http://webhook.example.com.evil.test/cb', 'webhook.example.com'],
    ['http://webhook.example.com:8081/cb', 'webhook.example.com:8080'],
    ['https://webhook.example.com/cb', 'webhook.example.com:80'],
    ['http://[::1]:8081/cb', '[::1]:8080'],
    ['http://[::2]/cb', '::1'],
    ['ftp://webhook.example.com/cb', 'webhook.example.com'],
    ['not a url', 'webhook.example.com'],
    ['http://webhook.example.com/cb', ''],
    ['http://webhook.example.com/cb', 'webhook.example.com:port'],
  ])('refuses %s for %s', (callbackUrl, providerCallbackHost) => {
    expect(callbackHostMatches(callbackUrl, providerCallbackHost)).toBe(false);
  });
});
