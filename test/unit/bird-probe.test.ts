// `npm run bird:probe` against the emulator: every name honoured in normal and strict mode, an ignored filter reported as such.
import { afterEach, describe, expect, it } from 'vitest';
import { WIRE_NAMES } from '../../src/bird/client.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.ts';
import { type ProbeReport, formatReport, probeBird } from '../../scripts/bird-probe.ts';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function probe(options: Omit<EmulatorOptions, 'port'>): Promise<ProbeReport> {
  emulator = await startEmulator({ port: 0, rateLimits: false, ...options });
  return probeBird({ apiUrl: emulator.url, accessKey: SEED.accessKeys.demo, workspaceId: SEED.workspaces.main.id, now: () => Date.parse(SEED.now) });
}

const outcomes = (report: ProbeReport) => Object.fromEntries(report.findings.map((f) => [`${f.list} ${f.param}`, f.outcome]));

describe('bird:probe', () => {
  for (const [mode, options] of [
    ['normal', {}],
    ['strict', { strictQuery: true }],
  ] as const) {
    it(`finds every row of the wire-name table honoured by the emulator in ${mode} mode, with GETs only`, async () => {
      const report = await probe(options);
      const seen = outcomes(report);
      expect(Object.values(seen).every((outcome) => outcome === 'honoured'), JSON.stringify(seen, null, 1)).toBe(true);
      // Every filter row of the table was checked on the lists it applies to.
      for (const param of Object.keys(WIRE_NAMES.messages).filter((p) => !['limit', 'pageToken', 'batchId', 'channelId'].includes(p))) {
        expect(seen[`channel messages ${param}`], param).toBe('honoured');
        expect(seen[`workspace messages ${param}`], param).toBe('honoured');
      }
      expect(seen['channel messages batchId']).toBe('honoured');
      expect(seen['workspace messages channelId']).toBe('honoured');
      for (const param of Object.keys(WIRE_NAMES.channels)) expect(seen[`channels ${param}`], param).toBe('honoured');
      for (const form of ['status (comma-separated)', 'status (repeated keys)']) expect(seen[`channel messages ${form}`]).toBe('honoured');
      expect(seen['channel messages window']).toBe('honoured');
      expect(seen['channel messages 7-day window rule']).toBe('honoured');
      expect(emulator!.requests.every((entry) => entry.method === 'GET')).toBe(true);
      // Only the deliberate 8-day window was refused: in strict mode that proves every name sent is a known one.
      expect(emulator!.requests.filter((entry) => entry.status !== 200)).toHaveLength(1);
      expect(report.calls).toBe(emulator!.requests.length);
      expect(report.calls).toBeLessThanOrEqual(50);
      expect(formatReport(report)).toContain('Every checked name and form is honoured.');
    });
  }

  it('reports a filter the emulator ignores as not honoured, on both lists, and nothing else', async () => {
    const report = await probe({ ignoreFilters: ['direction'] });
    const seen = outcomes(report);
    expect(seen['channel messages direction']).toBe('ignored');
    expect(seen['workspace messages direction']).toBe('ignored');
    const others = Object.entries(seen).filter(([key]) => !key.endsWith(' direction'));
    expect(others.every(([, outcome]) => outcome === 'honoured')).toBe(true);
    expect(formatReport(report)).toMatch(/2 not honoured: please report them/);
  });
});
