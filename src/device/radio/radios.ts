/**
 * The four radios the wireless rubric weighs (issue 22), with the figures it needs. Ranges,
 * cadences and BOM prices are the seed's rubric ("BLE vs LoRa vs cellular"); currents are
 * typical data-sheet magnitudes for the chip class named beside each, good to a factor of two,
 * which is all a rubric that compares corners of the range/power frontier needs.
 */

export const RADIO_IDS = ['ble', 'lora', 'wifi', 'lte-m'] as const;
export type RadioId = (typeof RADIO_IDS)[number];

export interface Radio {
  readonly id: RadioId;
  readonly label: string;
  /** Worst-case distance where this radio is the rubric's first answer, m. */
  readonly favouredUpToM: number;
  /** Beyond this it does not reach without infrastructure the rubric counts as another radio. */
  readonly reachM: number;
  /** Application throughput it sustains, bit/s (the low end of what the seed quotes). */
  readonly throughputBps: number;
  /** Largest application payload in one frame; bigger messages are split. */
  readonly maxFrameBytes: number;
  /** Headers each frame carries on the air (link, transport, TLS/MQTT where it applies), bytes. */
  readonly frameOverheadBytes: number;
  /** Airtime share the regulator allows, if any. */
  readonly legalDutyCycle?: number;
  /** While transmitting or listening, mA. */
  readonly activeMa: number;
  /** Floor while it stays reachable between messages, µA. */
  readonly sleepUa: number;
  /** Per-device BOM for the radio, US$ (low, high). */
  readonly bomUsd: readonly [number, number];
  /** Running cost per device-year, US$ (low, high): a cellular plan. */
  readonly yearlyUsd: readonly [number, number];
  /** What must exist near the device for it to talk at all. */
  readonly needs: string;
}

export const RADIOS: Readonly<Record<RadioId, Radio>> = {
  ble: {
    id: 'ble',
    label: 'BLE',
    favouredUpToM: 30,
    // "≤ 100 m indoor … BLE mesh otherwise": past 30 m it needs a mesh or coded PHY.
    reachM: 100,
    // Notifications on the 1M PHY carry ~100 kbit/s in practice.
    throughputBps: 100_000,
    maxFrameBytes: 244,
    frameOverheadBytes: 10,
    // nRF52-class: ~5–6 mA radio on at 0 dBm, ~2 µA with the RTC running.
    activeMa: 6,
    sleepUa: 2,
    // The seed: "BLE single-chip ($1-2 in volume)".
    bomUsd: [1, 2],
    yearlyUsd: [0, 0],
    needs: 'a phone or gateway within range',
  },
  lora: {
    id: 'lora',
    label: 'LoRa',
    favouredUpToM: 10_000,
    reachM: 10_000,
    // SF7/125 kHz, the fastest LoRa rate: 5.47 kbit/s.
    throughputBps: 5_470,
    // EU868 DR5 LoRaWAN application payload limit; 13 bytes of MAC header and MIC per frame.
    maxFrameBytes: 222,
    frameOverheadBytes: 13,
    // ETSI EN 300 220 (EU868 sub-bands): a device may be on the air 1 % of the time.
    legalDutyCycle: 0.01,
    // SX1276-class: ~40 mA transmitting at +14 dBm, ~2 µA asleep with the MCU's RTC.
    activeMa: 40,
    sleepUa: 2,
    // The seed: "LoRa module (RAK, Murata) $7 – $12".
    bomUsd: [7, 12],
    yearlyUsd: [0, 0],
    needs: 'a LoRaWAN gateway within reach',
  },
  wifi: {
    id: 'wifi',
    label: 'Wi-Fi',
    favouredUpToM: 100,
    reachM: 100,
    // The seed: "WiFi throughput is 5–50 Mbps".
    throughputBps: 5_000_000,
    maxFrameBytes: 1_400,
    frameOverheadBytes: 100,
    // ESP32-C3-class: ~100+ mA transmitting/receiving; staying associated (DTIM light sleep)
    // keeps ~1–2 mA, which is why the rubric says "no Wi-Fi" on a year-long battery.
    activeMa: 120,
    sleepUa: 1_500,
    // The seed: "ESP32-C3 module (Wi-Fi + BLE) $1.50 – $3".
    bomUsd: [1.5, 3],
    yearlyUsd: [0, 0],
    needs: 'a router (and its credentials) within ~100 m',
  },
  'lte-m': {
    id: 'lte-m',
    label: 'LTE-M',
    favouredUpToM: Infinity,
    reachM: Infinity,
    // Cat-M1 uplink in practice: a few hundred kbit/s.
    throughputBps: 300_000,
    maxFrameBytes: 1_400,
    frameOverheadBytes: 100,
    // nRF9160-class: ~60 mA on average while connected (decision 045's attach figure), 2.7 µA in PSM.
    activeMa: 60,
    sleepUa: 2.7,
    // The seed: "Cellular LTE-M module $12 – $25", "eSIM + data plan, per year $5 – $20".
    bomUsd: [12, 25],
    yearlyUsd: [5, 20],
    needs: 'carrier coverage and a data plan',
  },
};
