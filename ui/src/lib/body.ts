// The body's CodeMirror view. There is one for the app's lifetime: opening an article gives it a
// new state and moves its DOM into the editor screen. A view per article (and per save, which
// re-mounted it) left the web process ~45 MB larger after ten articles and growing, memory
// WebKit does not give back (BENCHMARKS.md, "Desktop app"). CodeMirror owns the text while the
// user types, including IME composition, so no syllable is lost or doubled.
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';

export interface BodySettings {
  readonly: boolean;
  label: string;
}

let view: EditorView | null = null;
let made = 0;
let settings: BodySettings = { readonly: false, label: '' };
let report: ((text: string) => void) | null = null;
const mode = new Compartment();

function modeOf({ readonly, label }: BodySettings): Extension {
  return [
    EditorView.editable.of(!readonly),
    EditorState.readOnly.of(readonly),
    placeholder(label),
    EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'body' }),
  ];
}

function stateOf(text: string): EditorState {
  return EditorState.create({
    doc: text,
    extensions: [
      history(),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      markdown(),
      EditorView.lineWrapping,
      mode.of(modeOf(settings)),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) report?.(update.state.doc.toString());
      }),
    ],
  });
}

/// Shows `text` in the view inside `host`; typing is reported to `onchange`.
export function attach(host: HTMLElement, text: string, next: BodySettings, onchange: (text: string) => void): void {
  settings = next;
  report = onchange;
  if (view) {
    view.setState(stateOf(text));
  } else {
    view = new EditorView({ state: stateOf(text) });
    made++;
  }
  host.appendChild(view.dom);
  view.requestMeasure();
}

/// Takes the view out of `host` (it stays alive for the next article) and stops reporting.
export function detach(host: HTMLElement): void {
  if (view?.dom.parentNode === host) view.dom.remove();
  report = null;
}

/// Follows the screen: text replaced from outside (a revision restored, recovered text) starts
/// afresh, without being reported as typing; read-only and the label change in place.
export function update(text: string, next: BodySettings): void {
  if (!view) return;
  if (next.readonly !== settings.readonly || next.label !== settings.label) {
    settings = next;
    view.dispatch({ effects: mode.reconfigure(modeOf(settings)) });
  }
  if (view.state.doc.toString() !== text) view.setState(stateOf(text));
}

/// Inserts text at the cursor, such as a photo placement.
export function insert(text: string): void {
  if (!view) return;
  view.dispatch(view.state.replaceSelection(text));
  view.focus();
}

/// How many views were ever made (one, however many articles were opened).
export function viewsMade(): number {
  return made;
}
