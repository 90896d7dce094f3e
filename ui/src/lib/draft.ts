// Section paths as typed. A new article's starting content is the core's
// (`copydesk::draft::new_draft`, through the `create_draft` command).
/// `경제 > 경제일반` as the levels the core stores.
export function sectionLevels(text: string): string[] {
  return text
    .split('>')
    .map((level) => level.trim())
    .filter(Boolean);
}
