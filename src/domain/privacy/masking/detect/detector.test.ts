import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detect, redact } from './index.js';

const types = (text: string) => detect(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);

describe('free-text detector', () => {
  it('redacts each kind of entity as [TYPE] and leaves the rest of the sentence', () => {
    const text =
      'Ask Maria Gonzalez (maria.g@example.com, +44 7700 900123) at 221B Baker Street, London NW1 6XE; card 4111 1111 1111 1111, SSN 123-45-6789, from 192.168.1.23.';
    assert.equal(
      redact(text, detect(text)),
      'Ask [PERSON] ([EMAIL], [PHONE]) at [ADDRESS]; card [CARD], SSN [GOV_ID], from [IP].',
    );
  });

  it('takes card numbers only when the Luhn checksum holds', () => {
    assert.deepEqual(types('card 4111 1111 1111 1111'), ['CARD:4111 1111 1111 1111']);
    assert.deepEqual(types('card 4111 1111 1111 1112'), []);
  });

  it('does not mistake an IMEI, a purchase order or a Luhn-valid serial for a card', () => {
    assert.deepEqual(types('IMEI 490154203237518 on the tracker'), []);
    assert.deepEqual(types('PO 4500123456 covers it'), []);
  });

  it('does not take dates, time ranges, torque values or part numbers for phone numbers', () => {
    for (const text of [
      'Job started 2024-03-15 07:45',
      'Calibrated on 15.03.2024',
      'Shift 0700-1530',
      'Torque set to 45.5 Nm at 1,800 rpm',
      'Part number 2804-20 replaced',
      'Ticket #20240315001 closed',
    ]) {
      assert.deepEqual(types(text), [], text);
    }
  });

  it('finds phone numbers written the way several countries write them', () => {
    for (const phone of [
      '(555) 123-4567',
      '+44 (0)20 7946 0321',
      '0151 23456789',
      '06 12 34 56 78',
      '+81 3-1234-5678',
      '07700900456',
    ]) {
      assert.deepEqual(types(`Call ${phone} today`), [`PHONE:${phone}`]);
    }
  });

  it('reads four dotted numbers after a version word as a version, not an IP address', () => {
    assert.deepEqual(types('Firmware updated to v2.10.4.1'), []);
    assert.deepEqual(types('firmware 1.4.22.7 rolled out'), []);
    assert.deepEqual(types('gateway 10.0.0.5 rebooted'), ['IP:10.0.0.5']);
  });

  it('finds IPv6 but not MAC addresses or times', () => {
    assert.deepEqual(types('from 2001:db8::1 at 12:30:45'), ['IP:2001:db8::1']);
    assert.deepEqual(types('MAC 00:1A:2B:3C:4D:5E'), []);
  });

  it('finds spelled-out emails but not prose with "at"', () => {
    assert.deepEqual(types('write to tanaka at example dot jp'), [
      'EMAIL:tanaka at example dot jp',
    ]);
    assert.deepEqual(types('look at example.com for the manual'), []);
  });

  it('finds names from many cultures and not places, brands or common words', () => {
    assert.deepEqual(types('Handed to Chukwuemeka Obi and Min-jun Park'), [
      'PERSON:Chukwuemeka Obi',
      'PERSON:Min-jun Park',
    ]);
    assert.deepEqual(types('Mr Okonkwo signed'), ['PERSON:Okonkwo']);
    for (const text of [
      'Bosch drill returned',
      'Will check tomorrow',
      'Brandon Road depot',
      'The Berlin crew',
    ]) {
      assert.deepEqual(types(text), [], text);
    }
  });

  it('does not find anything in its own redaction markers', () => {
    assert.deepEqual(detect('Ask [PERSON] at [PHONE] or [EMAIL], [ADDRESS]'), []);
  });
});
