// The sections the pickers offer: those the library's newest articles use, most used first,
// read again whenever a list or an article is shown. Any other section is typed as a path.
import { backend } from '../backend';

export const sections = $state({ paths: [] as string[] });

export async function loadSections(): Promise<void> {
  try {
    sections.paths = await backend().sections();
  } catch {
    // The picker still takes a typed path; the list or editor reports the library's error.
  }
}
