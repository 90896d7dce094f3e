import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { viewsMade } from '../lib/body';
import BodyEditor from './BodyEditor.svelte';

const tick = () => new Promise((r) => setTimeout(r, 0));
/** CodeMirror is imported when the first body editor mounts. */
const loaded = () => waitFor(() => expect(document.querySelector('.cm-editor')).not.toBeNull());

describe('the body editor', () => {
  it('keeps one CodeMirror view for every article opened, with each article its own text', async () => {
    const typed: string[] = [];
    for (const body of ['첫 기사 본문', '둘째 기사 본문', '셋째 기사 본문']) {
      const shown = render(BodyEditor, { value: body, label: '본문', onchange: (text: string) => typed.push(text) });
      await loaded();
      expect(screen.getByTestId('body').textContent).toBe(body);
      shown.unmount();
    }
    expect(viewsMade()).toBe(1);
    expect(typed).toEqual([]);
    expect(document.querySelector('.cm-editor')).toBeNull();
  });

  it('reports typing, follows text replaced from outside without reporting it, and turns read-only in place', async () => {
    const typed: string[] = [];
    const shown = render(BodyEditor, { value: '', label: '본문', onchange: (text: string) => typed.push(text) });
    await loaded();
    (shown.component as unknown as { insert(text: string): void }).insert('협약을 체결했다.');
    expect(typed).toEqual(['협약을 체결했다.']);
    await shown.rerender({ value: '복원한 판의 본문', label: '본문', onchange: (text: string) => typed.push(text) });
    await tick();
    expect(screen.getByTestId('body').textContent).toBe('복원한 판의 본문');
    expect(typed).toHaveLength(1);
    await shown.rerender({ value: '복원한 판의 본문', readonly: true, label: 'Body', onchange: (text: string) => typed.push(text) });
    await tick();
    expect(screen.getByTestId('body').getAttribute('contenteditable')).toBe('false');
    expect(screen.getByTestId('body').getAttribute('aria-label')).toBe('Body');
    expect(viewsMade()).toBe(1);
    shown.unmount();
  });
});
