import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from './secrets.js';

describe('PINs', () => {
  it('verifies the PIN they were hashed from and no other', async () => {
    const pinHash = await hashPin('1234');
    expect(await verifyPin('1234', pinHash)).toBe(true);
    expect(await verifyPin('1235', pinHash)).toBe(false);
  });

  it('salts each hash, so that two payers with one PIN do not share a hash', async () => {
    expect(await hashPin('1234')).not.toBe(await hashPin('1234'));
  });

  it('lets the event loop turn while a PIN is checked, since a check takes tens of milliseconds of CPU', async () => {
    const pinHash = await hashPin('1234');
    let turned = false;
    const check = verifyPin('1234', pinHash);
    setImmediate(() => {
      turned = true;
    });
    await check;
    expect(turned).toBe(true);
  });
});
