import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../backend';
import { emptyContent, mockBackend, type MockBackend } from '../backend/mock';
import { app, loadSession } from './session.svelte';
import { list } from './list.svelte';
import { changed, close, editor, openArticle } from './editor.svelte';
import { GATHER_MS, PRESENCE_RENEW_MS, editingBy, follow, holdPresence, live, openBy, seen } from './live.svelte';
import { serverError } from '../server';
import { BackendError } from '../backend';

let mock: MockBackend;
let stop: () => void;
const reporter = { id: 1, name: '김기랑', title: '기자', email: 'rang@newspim.com', role: 'reporter' as const };
const deskEditor = { id: 2, name: '박데스크', title: '데스크', email: 'desk@newspim.com', role: 'editor' as const };

async function signedInAs(user: typeof reporter | typeof deskEditor) {
  mock.users = [reporter, deskEditor];
  mock.user = user;
  mock.server = 'http://127.0.0.1:7700';
  await loadSession();
  stop = follow();
}

beforeEach(() => {
  mock = mockBackend();
  setBackend(mock);
  live.online = true;
  live.presence = {};
  live.flagged = {};
  live.notices = [];
  list.rows = [];
});

afterEach(() => {
  stop?.();
  close();
  vi.useRealTimers();
});

describe('live desk', () => {
  it('loads the list again when a colleague saves, gathering a burst of events into one load', async () => {
    await signedInAs(deskEditor);
    vi.useFakeTimers();
    const article = await mock.create({ ...emptyContent(), headline: '반도체 수출 회복세' });
    const lists = vi.spyOn(mock, 'list');
    for (let i = 0; i < 3; i++) mock.emit({ kind: 'saved', article: article.id, by: reporter.id, by_name: reporter.name });
    await vi.advanceTimersByTimeAsync(GATHER_MS + 10);
    expect(lists).toHaveBeenCalledTimes(1);
    expect(list.rows.map((row) => row.headline)).toEqual(['반도체 수출 회복세']);
  });

  it('flags a submission for an editor until it is opened, and not for a reporter', async () => {
    await signedInAs(deskEditor);
    mock.emit({ kind: 'submitted', article: 7, by: reporter.id, by_name: reporter.name });
    expect(live.flagged[7]).toBe(true);
    seen(7);
    expect(live.flagged[7]).toBeUndefined();
    stop();
    live.flagged = {};
    await signedInAs(reporter);
    mock.emit({ kind: 'submitted', article: 8, by: deskEditor.id, by_name: deskEditor.name });
    expect(live.flagged[8]).toBeUndefined();
  });

  it("tells the reporter of a return of their own article with the editor's note, and nobody else", async () => {
    await signedInAs(reporter);
    mock.emit({ kind: 'returned', article: 3, headline: '반도체 수출 회복세', by: deskEditor.id, by_name: '박데스크', note: '출처를 밝혀 주세요', mine: false });
    expect(live.notices).toEqual([]);
    mock.emit({ kind: 'returned', article: 3, headline: '반도체 수출 회복세', by: deskEditor.id, by_name: '박데스크', note: '출처를 밝혀 주세요', mine: true });
    expect(live.notices).toHaveLength(1);
    expect(live.notices[0].text).toContain('반도체 수출 회복세');
    expect(live.notices[0].text).toContain('박데스크');
    expect(live.notices[0].text).toContain('출처를 밝혀 주세요');
  });

  it('follows who has an article open and who edits it, leaving out the signed-in person', async () => {
    await signedInAs(reporter);
    mock.emit({ kind: 'presence', article: 5, by: deskEditor.id, by_name: '박데스크', editing: false });
    expect(openBy(5)).toEqual([{ article: 5, user: 2, name: '박데스크', editing: false }]);
    expect(editingBy(5)).toBeNull();
    mock.emit({ kind: 'presence', article: 5, by: deskEditor.id, by_name: '박데스크', editing: true });
    expect(editingBy(5)?.name).toBe('박데스크');
    mock.emit({ kind: 'presence', article: 5, by: reporter.id, by_name: '김기랑', editing: true });
    expect(openBy(5)).toHaveLength(1);
    mock.emit({ kind: 'presence', article: 5, by: deskEditor.id, by_name: '박데스크', editing: null });
    expect(openBy(5)).toEqual([]);
  });

  it('asks the server again who has what open, so a colleague whose app died does not stay on the article', async () => {
    vi.useFakeTimers();
    await signedInAs(reporter);
    mock.emit({ kind: 'presence', article: 5, by: deskEditor.id, by_name: '박데스크', editing: true });
    expect(editingBy(5)?.name).toBe('박데스크');
    mock.open = [];
    await vi.advanceTimersByTimeAsync(PRESENCE_RENEW_MS + 10);
    expect(openBy(5)).toEqual([]);
  });

  it('keeps an open article marked as edited below the server time-out, and lets go on close', async () => {
    vi.useFakeTimers();
    expect(PRESENCE_RENEW_MS).toBeLessThan(45_000);
    const release = holdPresence(4);
    await vi.advanceTimersByTimeAsync(PRESENCE_RENEW_MS * 2 + 10);
    expect(mock.calls.filter((c) => c.name === 'openArticle').map((c) => c.args)).toEqual([[4, true], [4, true], [4, true]]);
    release();
    await vi.advanceTimersByTimeAsync(PRESENCE_RENEW_MS * 2);
    expect(mock.calls.filter((c) => c.name === 'openArticle')).toHaveLength(3);
    expect(mock.calls.filter((c) => c.name === 'closeArticle').map((c) => c.args)).toEqual([[4]]);
  });

  it('saves the text typed offline when the server answers again, and says so', async () => {
    await signedInAs(reporter);
    const article = await mock.create({ ...emptyContent(), headline: '반도체 수출 회복세' });
    await openArticle(article.id);
    mock.setOnline(false);
    expect(live.online).toBe(false);
    editor.draft!.body = '오프라인에서 쓴 문장.';
    changed();
    expect(mock.calls.some((c) => c.name === 'save')).toBe(false);
    mock.setOnline(true);
    await vi.waitFor(() => expect(live.notices.map((n) => n.text)).toContain('다시 연결되어 저장했습니다.'));
    const saves = mock.calls.filter((c) => c.name === 'save');
    expect(saves).toHaveLength(1);
    expect((saves[0].args[2] as { body: string }).body).toBe('오프라인에서 쓴 문장.');
    expect(editor.dirty).toBe(false);
  });

  it('sends the person back to sign in when the server ends the session', async () => {
    await signedInAs(reporter);
    mock.user = null;
    for (const listener of mock.signedOutListeners) listener('the session ended; sign in again');
    await vi.waitFor(() => expect(app.screen).toBe('setup'));
    expect(app.error).toContain('sign in again');
  });
});

describe('sign-in errors', () => {
  it('say what went wrong by the code, keeping the detail', () => {
    expect(serverError(new BackendError({ code: 'not_signed_in', message: 'wrong email or password' }))).toMatch(/비밀번호가 틀렸습니다/);
    expect(serverError(new BackendError({ code: 'unavailable', message: 'cannot reach the newsroom server (Connection refused)' }))).toMatch(/연결할 수 없습니다.*Connection refused/);
    expect(serverError(new BackendError({ code: 'unavailable', message: 'cannot reach (tls: invalid peer certificate: UnknownIssuer)' }))).toMatch(/인증서/);
    expect(serverError(new BackendError({ code: 'invalid', message: 'give it as https://HOST[:PORT]' }))).toMatch(/https:\/\//);
  });
});
