import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../backend';
import { emptyContent, mockBackend, type MockBackend } from '../backend/mock';
import { AUTOSAVE_MS, PREVIEW_MS, changed, close, editor, openArticle, reload, resolveConflict, save, act } from './editor.svelte';

let mock: MockBackend;

beforeEach(async () => {
  mock = mockBackend();
  setBackend(mock);
  const article = await mock.create({ ...emptyContent(), headline: '중진공-일본 CMIC 맞손' });
  await openArticle(article.id);
});

afterEach(() => {
  close();
  vi.useRealTimers();
});

describe('editor store', () => {
  it('autosaves typing within a second, without making a revision', async () => {
    vi.useFakeTimers();
    editor.draft!.body = '협약을 체결했다.';
    changed();
    expect(editor.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 10);
    const autosaves = mock.calls.filter((c) => c.name === 'autosave');
    expect(autosaves).toHaveLength(1);
    expect((autosaves[0].args[2] as { body: string }).body).toBe('협약을 체결했다.');
    expect(mock.calls.some((c) => c.name === 'save')).toBe(false);
    expect(AUTOSAVE_MS).toBeLessThan(1000);
  });

  it('renders the preview once typing pauses, not once per key', async () => {
    vi.useFakeTimers();
    const previews = vi.spyOn(mock, 'preview');
    for (const text of ['협', '협약', '협약을', '협약을 체결했다.']) {
      editor.draft!.body = text;
      changed();
      await vi.advanceTimersByTimeAsync(PREVIEW_MS / 3);
    }
    expect(previews).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(PREVIEW_MS);
    expect(previews).toHaveBeenCalledTimes(1);
    expect(previews.mock.calls[0][1].body).toBe('협약을 체결했다.');
    expect(editor.preview?.length.with_spaces).toBe(9);
  });

  it('saves a revision on top of the one it started from', async () => {
    editor.draft!.headline = '새 제목';
    changed();
    expect(await save()).toBe(true);
    expect(editor.view!.article.head).toBe(2);
    expect(editor.dirty).toBe(false);
  });

  it('shows both versions on a stale save and never overwrites silently', async () => {
    const id = editor.view!.article.id;
    // Another desktop saves first.
    await mock.save(id, 1, { ...emptyContent(), headline: '다른 데스크의 제목' }, null);
    editor.draft!.headline = '내 제목';
    changed();
    expect(await save()).toBe(false);
    expect(editor.conflict?.mine.headline).toBe('내 제목');
    expect(editor.conflict?.theirs.content.headline).toBe('다른 데스크의 제목');
    expect(mock.articles.get(id)!.article.content.headline).toBe('다른 데스크의 제목');
    await resolveConflict('mine');
    expect(editor.conflict).toBeNull();
    expect(mock.articles.get(id)!.article.content.headline).toBe('내 제목');
    expect(mock.articles.get(id)!.article.head).toBe(3);
  });

  it('shows the merged text in the preview after a save merged with a colleague\'s', async () => {
    const id = editor.view!.article.id;
    await mock.save(id, 1, { ...emptyContent(), headline: '다른 데스크의 제목' }, null);
    const merged = { ...emptyContent(), headline: '다른 데스크의 제목', body: '내 본문' };
    mock.merge = { content: merged, theirs: { ...emptyContent(), headline: '다른 데스크의 제목' }, conflicts: [] };
    editor.draft!.body = '내 본문';
    changed();
    const previews = vi.spyOn(mock, 'preview');
    // The preview shows what was typed, before the save.
    await vi.waitFor(() => expect(previews.mock.calls.some(([, content]) => content.body === '내 본문')).toBe(true));
    previews.mockClear();
    expect(await save()).toBe(true);
    expect(editor.mergedIn).toBe(true);
    await vi.waitFor(() => expect(previews.mock.calls.some(([, content]) => content.headline === '다른 데스크의 제목')).toBe(true));
    expect(editor.preview?.html).toContain('다른 데스크의 제목');
  });

  it('follows a colleague\'s change in the preview of an untouched article', async () => {
    const id = editor.view!.article.id;
    await mock.save(id, 1, { ...emptyContent(), headline: '동료가 고친 제목' }, null);
    const previews = vi.spyOn(mock, 'preview');
    await reload();
    expect(editor.draft!.headline).toBe('동료가 고친 제목');
    await vi.waitFor(() => expect(previews).toHaveBeenCalled());
    expect(previews.mock.calls.at(-1)![1].headline).toBe('동료가 고친 제목');
    previews.mockClear();
    await reload();
    await new Promise((r) => setTimeout(r, 0));
    expect(previews, 'no new page for the same text').not.toHaveBeenCalled();
  });

  it('sends unsaved text and the note with a workflow action', async () => {
    editor.draft!.body = '본문';
    changed();
    expect(await act('submit', null)).toBe(true);
    const call = mock.calls.find((c) => c.name === 'act')!;
    expect(call.args[0]).toBe('submit');
    expect(call.args[2]).toMatchObject({ base: 1, note: null, content: { body: '본문' } });
    expect(editor.view!.article.status).toBe('submitted');
  });

  it('holds an action back when a colleague saved meanwhile, merging in their text to read first', async () => {
    const id = editor.view!.article.id;
    await mock.save(id, 1, { ...emptyContent(), headline: '동료가 고친 제목' }, null);
    const merged = { ...emptyContent(), headline: '동료가 고친 제목', body: '내 본문' };
    mock.merge = { content: merged, theirs: { ...emptyContent(), headline: '동료가 고친 제목' }, conflicts: [] };
    editor.draft!.body = '내 본문';
    changed();
    expect(await act('submit', null)).toBe(false);
    expect(mock.articles.get(id)!.article.status, 'nothing submitted unseen').toBe('draft');
    expect(editor.actionHeldBack).toBe(true);
    expect(editor.conflict).toBeNull();
    expect(editor.draft).toEqual(merged);
    expect(editor.view!.article.head).toBe(3);
    expect(editor.dirty).toBe(false);
    // Pressed again, on the revision the person now sees.
    expect(await act('submit', null)).toBe(true);
    expect(editor.actionHeldBack).toBe(false);
    expect(mock.articles.get(id)!.article).toMatchObject({ status: 'submitted', content: merged });
  });

  it('brings in a colleague\'s revision of an untouched article before acting on it', async () => {
    const id = editor.view!.article.id;
    await mock.save(id, 1, { ...emptyContent(), headline: '동료가 고친 제목' }, null);
    expect(await act('submit', null)).toBe(false);
    expect(editor.actionHeldBack).toBe(true);
    expect(editor.draft!.headline).toBe('동료가 고친 제목');
    expect(editor.view!.article.head).toBe(2);
    expect(await act('submit', null)).toBe(true);
    expect(mock.articles.get(id)!.article.status).toBe('submitted');
  });

  it('opens the conflict view when the action\'s text and a colleague\'s overlap', async () => {
    const id = editor.view!.article.id;
    await mock.save(id, 1, { ...emptyContent(), headline: '동료가 고친 제목' }, null);
    mock.merge = {
      content: { ...emptyContent(), headline: '내 제목' },
      theirs: { ...emptyContent(), headline: '동료가 고친 제목' },
      conflicts: [{ field: 'headline', place: { kind: 'field' }, base: '중진공-일본 CMIC 맞손', ours: '내 제목', theirs: '동료가 고친 제목', editable: true }],
    };
    editor.draft!.headline = '내 제목';
    changed();
    expect(await act('submit', null)).toBe(false);
    expect(editor.conflict?.merged?.conflicts).toHaveLength(1);
    expect(editor.actionHeldBack).toBe(false);
    expect(editor.draft!.headline, 'what was typed stays').toBe('내 제목');
    expect(mock.articles.get(id)!.article).toMatchObject({ status: 'draft', head: 2 });
  });
});

describe('typing while a save is on its way', () => {
  it('keeps the newer text and stays unsaved', async () => {
    editor.draft!.body = '첫 문장.';
    changed();
    const saving = save();
    editor.draft!.body = '첫 문장. 둘째 문장.';
    changed();
    expect(await saving).toBe(true);
    expect(editor.view!.article.head).toBe(2);
    expect(editor.draft!.body).toBe('첫 문장. 둘째 문장.');
    expect(editor.dirty).toBe(true);
  });
});
