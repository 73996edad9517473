import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { statusItemState } from '../../client/src/statusText';
import type { BlockInfo, ServerStatus } from '../../server/src/protocol';

const STATUS: ServerStatus = {
  indicators: 1234,
  families: ['Mirai', 'Mozi'],
  sets: [],
  lastAnalysis: '2026-06-14T09:12:44.000Z',
  lastAnalysisMs: 12,
  loadProblems: [],
  workspaceTrusted: true,
};

const DEFENDER: BlockInfo = { environment: 'defender', label: 'Defender XDR advanced hunting', reason: 'auto: uses Timestamp on DeviceNetworkEvents', lines: { start: 0, end: 2 } };

describe('status item text', () => {
  test('names the environment of the block', () => {
    assert.equal(statusItemState(STATUS, DEFENDER).text, 'KQL: Defender XDR');
    assert.equal(statusItemState(STATUS, { ...DEFENDER, environment: 'sentinel' }).text, 'KQL: Sentinel');
  });

  test('falls back to the product name between blocks', () => {
    assert.equal(statusItemState(STATUS, { environment: null, label: null, reason: 'no query at the cursor', lines: null }).text, 'KQL Hunt');
  });

  test('counts indicators and names families', () => {
    const state = statusItemState(STATUS, DEFENDER);
    assert.match(state.detail!, /^1,234 indicators \(Mirai, Mozi\) · analysed .+ in 12 ms$/);
    assert.equal(state.severity, 'information');
    assert.equal(state.command, 'kqlHunt.showOutput');
  });

  test('says when nothing was analysed yet', () => {
    assert.match(statusItemState({ ...STATUS, lastAnalysis: null, lastAnalysisMs: null }, undefined).detail!, /not analysed yet/);
  });

  test('warns about load problems', () => {
    const problems = [
      { file: 'intel/feed.csv', line: 4, severity: 'error' as const, message: 'invalid ioc_type' },
      { file: 'schemas/x.json', severity: 'warning' as const, message: 'duplicate column' },
    ];
    const state = statusItemState({ ...STATUS, loadProblems: problems }, DEFENDER);
    assert.equal(state.severity, 'warning');
    assert.equal(state.text, '$(warning) KQL: Defender XDR');
    assert.match(state.detail!, /^2 file problems · /);
    assert.equal(state.command, 'kqlHunt.showOutput');
  });

  test('says workspace files wait for trust', () => {
    assert.match(statusItemState({ ...STATUS, workspaceTrusted: false }, DEFENDER).detail!, /workspace files not loaded until the workspace is trusted/);
    assert.doesNotMatch(statusItemState(STATUS, DEFENDER).detail!, /trusted/);
  });

  test('shows starting before the first status', () => {
    const state = statusItemState(undefined, undefined);
    assert.equal(state.text, 'KQL Hunt');
    assert.equal(state.detail, 'starting the language server');
  });
});
