// The conflict view of a save the core merged: only the overlapping passages, mine beside
// theirs, settled passage by passage and applied by the core. The mock answers the merge a test
// sets (`mock.merge`), as the core would; the view and the store must carry it through.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, setBackend } from '../lib/backend';
import type { Content, Merged } from '../lib/bindings';
import { emptyContent, mockBackend, type MockBackend } from '../lib/backend/mock';
import { cancelConflict, changed, close, editor, openArticle, resolvePassages, save } from '../lib/stores/editor.svelte';
import Conflict from './Conflict.svelte';

const BASE = '첫 문단.\n\n둘째 문단.\n';
const THEIRS = '첫 문단.\n\n둘째 문단, 다른 창에서.\n';
const MINE = '첫 문단, 내가.\n\n둘째 문단, 내가.\n';

let mock: MockBackend;
let id: number;

const tick = () => new Promise((r) => setTimeout(r, 0));
const content = (headline: string, body: string): Content => ({ ...emptyContent(), headline, body });

/// What the core's merge of MINE into THEIRS gives: the first paragraph merged, the second
/// paragraph and the headline changed differently on both sides.
function overlapping(): Merged {
  return {
    content: content('내 제목', '첫 문단, 내가.\n\n둘째 문단, 내가.\n'),
    theirs: content('다른 창의 제목', THEIRS),
    conflicts: [
      { field: 'headline', place: { kind: 'field' }, base: '첫 제목', ours: '내 제목', theirs: '다른 창의 제목', editable: true },
      {
        field: 'body',
        place: { kind: 'lines', start: 2, count: 1 },
        base: '둘째 문단.\n',
        ours: '둘째 문단, 내가.\n',
        theirs: '둘째 문단, 다른 창에서.\n',
        editable: true,
      },
    ],
  };
}

beforeEach(async () => {
  mock = mockBackend();
  setBackend(mock);
  id = (await mock.create(content('첫 제목', BASE))).id;
  await openArticle(id);
  // Meanwhile a colleague saves revision 2.
  await mock.save(id, 1, content('다른 창의 제목', THEIRS), null);
  editor.draft!.headline = '내 제목';
  editor.draft!.body = MINE;
  changed();
});

afterEach(() => {
  cleanup();
  close();
});

describe('the conflict view of a merged save', () => {
  it('shows only the overlapping passages, mine beside theirs with who saved it', async () => {
    mock.merge = overlapping();
    expect(await save()).toBe(false);
    render(Conflict);
    await tick();
    const passages = screen.getAllByTestId('passage');
    expect(passages).toHaveLength(2);
    expect(screen.getAllByTestId('passage-mine').map((p) => p.textContent)).toEqual(['내 제목', '둘째 문단, 내가.\n']);
    expect(screen.getAllByTestId('passage-theirs').map((p) => p.textContent)).toEqual(['다른 창의 제목', '둘째 문단, 다른 창에서.\n']);
    expect(screen.queryByText('첫 문단, 내가.', { exact: false })).toBeNull();
    expect(await screen.findAllByText('김기랑의 글 (판 2)')).toHaveLength(2);
    expect(screen.getByRole('alertdialog').getAttribute('aria-labelledby')).toBe('conflict-title');
    expect(screen.getAllByRole('button', { name: '내 것 유지' })[0].getAttribute('aria-pressed')).toBe('true');
  });

  it('offers typing only for passages typed text can settle', async () => {
    const merged = overlapping();
    merged.conflicts.push({ field: 'dateline', place: { kind: 'field' }, base: '[세종=뉴스핌]', ours: '[서울=뉴스핌]', theirs: '[부산=뉴스핌]', editable: false });
    mock.merge = merged;
    await save();
    render(Conflict);
    await tick();
    expect(screen.getAllByTestId('passage')).toHaveLength(3);
    expect(screen.getAllByTestId('keep-ours')).toHaveLength(3);
    expect(screen.getAllByTestId('edit-passage')).toHaveLength(2);
  });

  it('saves the choices the core applied on the revision it merged with', async () => {
    mock.merge = overlapping();
    await save();
    render(Conflict);
    await tick();
    await fireEvent.click(screen.getAllByTestId('edit-passage')[0]);
    const edit = screen.getByLabelText('이 부분을 이렇게 고칩니다') as HTMLTextAreaElement;
    expect(edit.value).toBe('내 제목');
    await fireEvent.input(edit, { target: { value: '함께 고친 제목' } });
    await fireEvent.click(screen.getAllByTestId('take-theirs-passage')[1]);
    const resolved = content('함께 고친 제목', '첫 문단, 내가.\n\n둘째 문단, 다른 창에서.\n');
    mock.resolution = resolved;
    await fireEvent.click(screen.getByTestId('resolve-save'));
    await tick();
    expect(mock.calls.find((c) => c.name === 'resolveMerge')?.args[1]).toEqual([{ keep: 'edited', text: '함께 고친 제목' }, { keep: 'theirs' }]);
    const saves = mock.calls.filter((c) => c.name === 'save');
    // Saved on the revision merged with, naming the one my text started from.
    expect(saves.at(-1)?.args.slice(1)).toEqual([2, resolved, 1]);
    expect(mock.articles.get(id)!.article.content).toEqual(resolved);
    expect(mock.articles.get(id)!.article.head).toBe(3);
    expect(editor.conflict).toBeNull();
    expect(editor.draft).toEqual(resolved);
    expect(editor.dirty).toBe(false);
  });

  it('keeps the dialog and the typed text when the core refuses a choice', async () => {
    mock.merge = overlapping();
    await save();
    mock.resolveMerge = async () => {
      throw new BackendError({ code: 'invalid', message: 'this field cannot be typed in here' });
    };
    render(Conflict);
    await tick();
    await fireEvent.click(screen.getByTestId('resolve-save'));
    await tick();
    expect(screen.getByTestId('conflict-error').textContent).toContain('cannot be typed');
    expect(editor.conflict).not.toBeNull();
    expect(editor.draft!.body).toBe(MINE);
    expect(mock.articles.get(id)!.article.head).toBe(2);
  });

  it('closing keeps the editor text on its old base, so the next save merges again', async () => {
    mock.merge = overlapping();
    await save();
    cancelConflict();
    expect(editor.conflict).toBeNull();
    expect(editor.draft).toMatchObject({ headline: '내 제목', body: MINE });
    expect(editor.dirty).toBe(true);
    expect(editor.view!.article.head).toBe(1);
    await save();
    expect(mock.calls.filter((c) => c.name === 'save').at(-1)?.args[1]).toBe(1);
  });

  it('merges text typed after the conflict opened afresh instead of applying choices made without it', async () => {
    mock.merge = overlapping();
    await save();
    editor.draft!.body = `${MINE}\n셋째 문단.\n`;
    changed();
    await resolvePassages();
    expect(mock.calls.some((c) => c.name === 'resolveMerge')).toBe(false);
    const last = mock.calls.filter((c) => c.name === 'save').at(-1)!;
    expect(last.args[1]).toBe(1);
    expect((last.args[2] as Content).body).toContain('셋째 문단.');
    expect(editor.conflict).not.toBeNull();
  });

  it('a clean merge saves, says so, and shows the merged text', async () => {
    const merged = content('다른 창의 제목', '첫 문단, 내가.\n\n둘째 문단, 다른 창에서.\n');
    mock.merge = { content: merged, theirs: content('다른 창의 제목', THEIRS), conflicts: [] };
    const key = editor.revisionKey;
    expect(await save()).toBe(true);
    expect(editor.conflict).toBeNull();
    expect(editor.mergedIn).toBe(true);
    expect(editor.draft).toEqual(merged);
    expect(editor.view!.article.head).toBe(3);
    expect(editor.revisionKey).toBeGreaterThan(key);
  });

  it('a save typed over while it merged keeps the newer text and its old base', async () => {
    mock.merge = { content: content('다른 창의 제목', THEIRS), theirs: content('다른 창의 제목', THEIRS), conflicts: [] };
    const saving = save();
    editor.draft!.body = `${MINE}더 쓴 문장.\n`;
    changed();
    expect(await saving).toBe(true);
    expect(editor.draft!.body).toContain('더 쓴 문장.');
    expect(editor.view!.article.head).toBe(1);
    expect(editor.dirty).toBe(true);
  });
});
