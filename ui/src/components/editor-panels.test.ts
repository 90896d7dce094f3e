import { fireEvent, render, screen, cleanup } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../lib/backend';
import { emptyContent, mockBackend, type MockBackend } from '../lib/backend/mock';
import { changed, editor, openArticle, save } from '../lib/stores/editor.svelte';
import Conflict from './Conflict.svelte';
import History from './History.svelte';
import Photos from './Photos.svelte';

let mock: MockBackend;

beforeEach(async () => {
  mock = mockBackend();
  setBackend(mock);
  const article = await mock.create({ ...emptyContent(), headline: '첫 제목', body: '첫 본문' });
  await openArticle(article.id);
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('editor panels', () => {
  it('the conflict view shows both versions of what differs, and keeping mine saves on top', async () => {
    await mock.save(editor.view!.article.id, 1, { ...emptyContent(), headline: '다른 제목', body: '첫 본문' }, null);
    editor.draft!.headline = '내 제목';
    changed();
    await save();
    mock.fieldChanges = [{ field: 'headline', before: '다른 제목', after: '내 제목', segments: [] }];
    render(Conflict);
    await tick();
    expect(mock.calls.find((c) => c.name === 'compareContents')?.args[1]).toMatchObject({ headline: '내 제목' });
    expect(screen.getByTestId('conflict-mine').textContent).toBe('내 제목');
    expect(screen.getByTestId('conflict-theirs').textContent).toBe('다른 제목');
    expect(screen.getAllByText('제목')).toHaveLength(2);
    await fireEvent.click(screen.getByTestId('keep-mine'));
    await tick();
    expect(mock.articles.get(editor.view!.article.id)!.article.content.headline).toBe('내 제목');
  });

  it('history lists revisions newest first and shows a word diff', async () => {
    editor.draft!.body = '고친 본문';
    changed();
    await save();
    render(History);
    await tick();
    const rows = screen.getAllByTestId('revision');
    expect(rows.map((row) => row.dataset.number)).toEqual(['2', '1']);
    await fireEvent.click(screen.getByTestId('compare'));
    await tick();
    expect(document.querySelector('ins')?.textContent).toBe('고친 본문');
    expect(mock.calls.find((c) => c.name === 'compare')?.args.slice(1)).toEqual([1, 2]);
  });

  it('adds photos picked in the native dialog and dropped ones, signed off with the first byline email', async () => {
    editor.draft!.bylines = [{ name: '김기랑', title: '기자', email: 'rang@newspim.com' }];
    let edits = 0;
    const shown = render(Photos, { draft: editor.draft!, onchange: () => edits++, onplace: () => {} });
    mock.picked = ['/home/rang/사진/협약식.png'];
    await fireEvent.click(screen.getByTestId('photo-add'));
    await tick();
    await tick();
    expect(mock.calls.find((c) => c.name === 'pickPhotos')?.args[0]).toBe('사진 선택');
    expect(mock.calls.find((c) => c.name === 'addPhotoFile')?.args[0]).toBe('/home/rang/사진/협약식.png');
    expect(editor.draft!.photos[0]).toMatchObject({ file: 'photos/협약식.png', email: 'rang@newspim.com' });
    expect(edits).toBe(1);
    const dropped = new File([new Uint8Array([1, 2, 3])], '협약식.png', { type: 'image/png' });
    (shown.component as unknown as { drop(files: File[]): void }).drop([dropped]);
    await tick();
    await tick();
    expect(editor.draft!.photos.map((photo) => photo.file)).toEqual(['photos/협약식.png', 'photos/협약식-2.png']);
    expect(edits).toBe(2);
  });

  it('shows the caption, credit and photographer a photo carries in its metadata, signed off by the photographer', async () => {
    editor.draft!.bylines = [{ name: '김기랑', title: '기자', email: 'rang@newspim.com' }];
    editor.draft!.photos = [];
    cleanup();
    const shown = render(Photos, { draft: editor.draft!, onchange: () => {}, onplace: () => {} });
    mock.picked = ['/home/rang/사진/iptc-ceremony.jpg'];
    await fireEvent.click(shown.getByTestId('photo-add'));
    await tick();
    await tick();
    expect(editor.draft!.photos[0]).toMatchObject({ caption: '참석자들이 기념사진을 촬영하고 있다.', credit: '중소벤처기업진흥공단', creator: '홍길동', email: 'photo@agency.example' });
    expect((shown.getAllByTestId('photo-caption')[0] as HTMLInputElement).value).toBe('참석자들이 기념사진을 촬영하고 있다.');
    expect((shown.getAllByTestId('photo-credit')[0] as HTMLInputElement).value).toBe('중소벤처기업진흥공단');
    expect((shown.getAllByTestId('photo-email')[0] as HTMLInputElement).value).toBe('photo@agency.example');
  });
});
