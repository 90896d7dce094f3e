//! Agency copy in (NewsML-G2 news items, ninjs 1.x-3.x) and NewsML-G2 out: IPTC's own
//! example items import, a later version of an item updates its article on either store, what
//! is not text is refused, hostile XML is refused fast with nothing imported, every NewsML-G2
//! file exported here validates against IPTC's 2.35 schema (`xmllint`, Debian's
//! `libxml2-utils`), and ninjs exported then imported keeps every field.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use copydesk::Change;
use copydesk::export::{ExportOptions, Format};
use copydesk::import;
use copydesk::search::Filter;

use crate::export_support::{Desk, fixture};

fn newsml_g2() -> ExportOptions {
    ExportOptions { format: Format::NewsmlG2, ..ExportOptions::default() }
}

/// Imports the file at `path` into the desk's library.
fn import_file(desk: &mut Desk, path: &Path) -> copydesk::Result<copydesk::article::Article> {
    let newsroom = desk.library.newsroom()?;
    let imported = import::read_file(path, &newsroom).map_err(copydesk::Error::Import)?;
    desk.library.import(&desk.editor, imported)
}

fn problems(path: &Path) -> String {
    let newsroom = copydesk::newsroom::Newsroom::default();
    match import::read_file(path, &newsroom) {
        Ok(imported) => panic!("{} was imported as {:?}", path.display(), imported.content.headline),
        Err(problems) => import::ImportProblem::list(&problems),
    }
}

/// Validates `file` against IPTC's NewsML-G2 2.35 schema (copied into tests/fixtures).
pub fn assert_valid_newsml(file: &Path) {
    let schema = fixture("newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd");
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
        .unwrap_or_else(|error| panic!("xmllint cannot run ({error}): install Debian's libxml2-utils (scripts/install-deps does)"));
    assert!(
        output.status.success(),
        "{} is not valid NewsML-G2 2.35:\n{}\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
}

#[test]
fn iptc_example_text_items_import() {
    let mut desk = Desk::new();
    let text = import_file(&mut desk, &fixture("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml")).unwrap();
    let content = &text.content;
    assert_eq!(content.headline, "Fed to halt QE to avert \"bubble\"");
    assert_eq!(content.bylines[0].name, "Meredith Jameson");
    assert_eq!(content.dateline.place, "New York, NY");
    assert!(content.body.starts_with("(New York, NY - October 21) Et, sent luptat"), "{}", content.body);
    assert_eq!(content.body.split("\n\n").count(), 2, "two NITF paragraphs");
    assert_eq!(content.tags, vec!["economy, business and finance", "central bank", "money and monetary policy"]);
    let source = content.source.as_ref().unwrap();
    assert_eq!(
        (source.id.as_str(), source.version, source.pub_status.as_str()),
        ("urn:newsml:acmenews.com:20161121:US-FINANCE-FED", 11, "usable")
    );
    assert_eq!(text.status, copydesk::workflow::Status::Draft, "agency copy comes in for the desk to edit");

    let item = import_file(&mut desk, &fixture("newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml")).unwrap();
    let content = &item.content;
    assert_eq!(content.headline, "Fed to halt QE to avert \"bubble\"");
    assert_eq!(content.embargo, Some("2018-10-23T12:00:00Z".parse().unwrap()));
    assert_eq!(content.dateline.place, "Berlin");
    assert_eq!(content.source.as_ref().unwrap().provider, "nprov:REUTERS");
    assert_ne!(item.id, text.id, "two items, two articles");
}

#[test]
fn a_later_version_of_an_item_updates_its_article() {
    let mut desk = Desk::new();
    let first = import_file(&mut desk, &fixture("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml")).unwrap();
    let original = std::fs::read_to_string(fixture("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml")).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let later = folder.path().join("v12.xml");
    std::fs::write(
        &later,
        original.replace("version=\"11\"", "version=\"12\"").replace("<headline> Fed to halt QE", "<headline>UPDATE: Fed to halt QE"),
    )
    .unwrap();

    let updated = import_file(&mut desk, &later).unwrap();
    assert_eq!(updated.id, first.id, "the same item updates the same article");
    assert_eq!(updated.content.headline, "UPDATE: Fed to halt QE to avert \"bubble\"");
    assert_eq!(updated.content.source.as_ref().unwrap().version, 12);
    assert_eq!(updated.head.0, first.head.0 + 1, "as a new revision");
    assert_eq!(desk.library.count(&Filter::default()).unwrap(), 1);

    // The earlier version again changes nothing.
    let again = import_file(&mut desk, &fixture("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml")).unwrap();
    assert_eq!(
        (again.id, again.head, again.content.headline.as_str()),
        (first.id, updated.head, "UPDATE: Fed to halt QE to avert \"bubble\"")
    );
    assert_eq!(desk.library.count(&Filter::default()).unwrap(), 1);
}

#[test]
fn what_is_not_a_text_item_is_refused() {
    assert!(problems(&fixture("newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml")).contains("is a picture item, not text"));
    let folder = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let g2 = r#"xmlns="http://iptc.org/std/nar/2006-10-01/""#;
    let video = write(
        "video.xml",
        &format!(r#"<newsItem {g2} guid="v" version="1"><itemMeta><itemClass qcode="ninat:video"/></itemMeta></newsItem>"#),
    );
    assert!(problems(&video).contains("is a video item, not text"));
    let package = write("package.xml", &format!(r#"<packageItem {g2} guid="p" version="1"/>"#));
    assert!(problems(&package).contains("package"));
    let pictures_only = write(
        "message.xml",
        &format!(
            r#"<newsMessage {g2}><itemSet><newsItem guid="a"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem></itemSet></newsMessage>"#
        ),
    );
    assert!(problems(&pictures_only).contains("holds no text item"));
    let not_g2 = write("rss.xml", "<rss><channel/></rss>");
    assert!(problems(&not_g2).contains("not NewsML-G2"));
    let ninjs_picture = write("picture.json", r#"{"uri": "urn:x", "type": "picture"}"#);
    assert!(problems(&ninjs_picture).contains("not text"));
}

#[test]
fn a_news_message_brings_its_pictures_as_photos_and_unknown_elements_are_skipped() {
    let folder = tempfile::tempdir().unwrap();
    let picture = image::RgbImage::from_fn(40, 30, |x, _| image::Rgb([x as u8, 90, 200]));
    picture.save_with_format(folder.path().join("ceremony.jpg"), image::ImageFormat::Jpeg).unwrap();
    let message = r#"<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/" xmlns:x="urn:agency:extensions">
  <header><sent>2025-02-20T15:00:00+09:00</sent></header>
  <itemSet>
    <newsItem guid="urn:newsml:newspim.com:20250220:cmic" version="2" standard="NewsML-G2" standardversion="2.35">
      <itemMeta>
        <itemClass qcode="ninat:text"/>
        <provider literal="뉴스핌"/>
        <versionCreated>2025-02-20T15:09:00+09:00</versionCreated>
        <embargoed>2025-02-21T06:00:00+09:00</embargoed>
        <pubStatus qcode="stat:withheld"/>
        <x:priority>high</x:priority>
      </itemMeta>
      <contentMeta>
        <urgency>3</urgency>
        <located><name>세종</name></located>
        <creator jobtitle="copydesk-title:기자"><name>김기랑</name><personDetails><contactInfo><email>rang@newspim.com</email></contactInfo></personDetails></creator>
        <subject qcode="medtop:04000000"><name>경제</name></subject>
        <headline>중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손</headline>
        <headline role="hld:subHeadline">20일 일본 도쿄서 업무협약 체결</headline>
        <dateline>[세종=뉴스핌]</dateline>
        <x:unknown><x:deeper>kept out</x:deeper></x:unknown>
      </contentMeta>
      <contentSet>
        <inlineXML contenttype="application/xhtml+xml">
          <html xmlns="http://www.w3.org/1999/xhtml"><body>
            <p>[세종=뉴스핌] 김기랑 기자 = 중소벤처기업진흥공단과 일본 CMIC홀딩스가 <b>맞손</b>을 잡았다.</p>
            <p>협약식에는 20여명이 참석했다. 1*2=2</p>
          </body></html>
        </inlineXML>
      </contentSet>
    </newsItem>
    <newsItem guid="urn:newsml:newspim.com:20250220:cmic-photo" version="1">
      <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
      <contentMeta>
        <creator><name>김기랑</name></creator>
        <creditline>중소벤처기업진흥공단</creditline>
        <description role="drol:caption">참석자들이 기념사진을 촬영하고 있다.</description>
        <contentCreated>2025-02-20T10:00:00+09:00</contentCreated>
      </contentMeta>
      <contentSet><remoteContent href="ceremony.jpg" contenttype="image/jpeg"/></contentSet>
    </newsItem>
  </itemSet>
</newsMessage>"#;
    let path = folder.path().join("message.xml");
    std::fs::write(&path, message).unwrap();
    let mut desk = Desk::new();
    let article = import_file(&mut desk, &path).unwrap();
    let content = &article.content;
    assert_eq!(content.headline, "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손");
    assert_eq!(content.subheadlines, vec!["20일 일본 도쿄서 업무협약 체결"]);
    assert_eq!(content.dateline.bracketed(), "[세종=뉴스핌]");
    assert_eq!(content.bylines[0].credit(), "김기랑 기자");
    assert_eq!(content.bylines[0].email, "rang@newspim.com");
    assert_eq!(content.body, "중소벤처기업진흥공단과 일본 CMIC홀딩스가 **맞손**을 잡았다.\n\n협약식에는 20여명이 참석했다. 1\\*2=2");
    assert!(!content.body.contains("kept out"));
    let source = content.source.as_ref().unwrap();
    assert_eq!((source.urgency, source.pub_status.as_str(), source.provider.as_str()), (Some(3), "withheld", "뉴스핌"));
    assert_eq!(content.embargo, Some("2025-02-20T21:00:00Z".parse().unwrap()));
    let photo = &content.photos[0];
    assert_eq!(photo.file, "ceremony.jpg");
    assert_eq!(copydesk::render::credit_line(photo), "[사진=중소벤처기업진흥공단] 2025.02.20");
    assert_eq!(photo.caption, "참석자들이 기념사진을 촬영하고 있다.");
    assert_eq!(photo.creator, "김기랑");
}

/// Imports `text` written to a file in a fresh folder, timing it.
fn refused_fast(name: &str, write: impl FnOnce(&Path)) -> String {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join(name);
    write(&path);
    let mut desk = Desk::new();
    let started = Instant::now();
    let error = import_file(&mut desk, &path).expect_err("hostile file refused");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{name} took {took:?}");
    assert_eq!(desk.library.count(&Filter::default()).unwrap(), 0, "nothing imported");
    error.to_string()
}

#[test]
fn hostile_xml_is_refused_fast_with_nothing_imported() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" version="1"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>"#;
    let error = refused_fast("laughs.xml", |path| std::fs::write(path, billion_laughs).unwrap());
    assert!(error.contains("DOCTYPE"), "{error}");

    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "secret-do-not-import").unwrap();
    let external = format!(
        r#"<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file://{}">]><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"><contentMeta><headline>&x;</headline></contentMeta></newsItem>"#,
        secret.path().display()
    );
    let error = refused_fast("external.xml", |path| std::fs::write(path, &external).unwrap());
    assert!(error.contains("DOCTYPE") && !error.contains("secret-do-not-import"), "{error}");
    // Without a DOCTYPE the entity is simply unknown.
    let error = refused_fast("undeclared.xml", |path| {
        std::fs::write(path, r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"><contentMeta><headline>&x;</headline></contentMeta></newsItem>"#).unwrap()
    });
    assert!(error.contains("&x;"), "{error}");

    let error = refused_fast("deep.xml", |path| {
        let deep = format!(
            r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x">{}{}</newsItem>"#,
            "<a>".repeat(10_000),
            "</a>".repeat(10_000)
        );
        std::fs::write(path, deep).unwrap()
    });
    assert!(error.contains("deep"), "{error}");

    let error = refused_fast("huge.xml", |path| {
        let mut file = std::fs::File::create(path).unwrap();
        std::io::Write::write_all(&mut file, br#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"><contentMeta><headline>"#)
            .unwrap();
        file.set_len(100 * 1024 * 1024).unwrap();
    });
    assert!(error.contains("MB"), "{error}");

    let error = refused_fast("deep.json", |path| std::fs::write(path, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))).unwrap());
    assert!(error.contains("JSON"), "{error}");
}

/// Exports `ids` as NewsML-G2 into `out`, validating every item written.
fn export_valid(desk: &Desk, ids: &[copydesk::article::ArticleId], out: &str, options: &ExportOptions) -> Vec<PathBuf> {
    let report = desk.export(ids, out, options).unwrap();
    let items: Vec<PathBuf> = report.articles.iter().map(|article| article.files[0].clone()).collect();
    for item in &items {
        assert_valid_newsml(item);
    }
    items
}

#[test]
fn iptc_examples_validate_against_the_schema_copy() {
    // The checker itself: IPTC's own power-conformance example passes, a broken item fails.
    assert_valid_newsml(&fixture("newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml"));
    let folder = tempfile::tempdir().unwrap();
    let broken = folder.path().join("broken.xml");
    std::fs::write(&broken, r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" version="1" standard="NewsML-G2" standardversion="2.35"><contentMeta/></newsItem>"#).unwrap();
    let schema = fixture("newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd");
    let status = Command::new("xmllint").args(["--noout", "--nonet", "--schema"]).arg(&schema).arg(&broken).output().unwrap().status;
    assert!(!status.success(), "an item without itemMeta must not validate");
}

#[test]
fn newsml_g2_export_validates_and_carries_the_seed() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let items = export_valid(&desk, &[seed.id], "g2", &newsml_g2());
    let item = std::fs::read_to_string(&items[0]).unwrap();
    for expected in [
        r#"<pubStatus qcode="stat:usable"/>"#,
        "<firstCreated>2025-02-20T15:09:00+09:00</firstCreated>",
        "<versionCreated>2025-02-20T15:09:00+09:00</versionCreated>",
        "<located><name>세종</name></located>",
        "<dateline>[세종=뉴스핌]</dateline>",
        r#"<creator role="crol:author" jobtitle="copydesk-title:기자"><name>김기랑</name>"#,
        "<email>rang@newspim.com</email>",
        "<by>김기랑 기자</by>",
        "<headline>중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손</headline>",
        r#"<headline role="hld:subHeadline">강석진 &quot;협업모델 지속 발굴 노력&quot;</headline>"#,
        "<creditline>[사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com</creditline>",
        r#"<copyrightHolder literal="뉴스핌"><name>뉴스핌</name></copyrightHolder>"#,
        "[세종=뉴스핌] 김기랑 기자 = 중소벤처기업진흥공단과",
    ] {
        assert!(item.contains(expected), "missing {expected} in\n{item}");
    }
    assert!(!item.contains("sig:correction"), "no correction yet");

    // The item imports back as the same story.
    let mut other = Desk::new();
    std::fs::create_dir_all(items[0].parent().unwrap()).unwrap();
    let back = import_file(&mut other, &items[0]).unwrap();
    assert_eq!(back.content.headline, seed.content.headline);
    assert_eq!(back.content.subheadlines, seed.content.subheadlines);
    assert_eq!(back.content.bylines, seed.content.bylines);
    assert_eq!(back.content.dateline, seed.content.dateline);
    assert!(back.content.body.starts_with("중소벤처기업진흥공단과 일본 CMIC홀딩스가"), "{}", back.content.body);
}

#[test]
fn a_corrected_article_signals_the_correction_and_its_version_rises() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let editor = desk.editor.clone();
    let version_of = |item: &str| -> u32 {
        let start = item.find("\" version=\"").unwrap() + 11;
        item[start..].split('"').next().unwrap().parse().unwrap()
    };
    let before = std::fs::read_to_string(&export_valid(&desk, &[seed.id], "before", &newsml_g2())[0]).unwrap();

    let article = desk.library.article(seed.id).unwrap();
    let content = copydesk::article::Content { headline: format!("{} (정정)", article.content.headline), ..article.content.clone() };
    desk.library
        .correct(&editor, seed.id, Change { base: Some(article.head), content: Some(content), note: Some("참석자 수 정정".into()) })
        .unwrap();
    let first = std::fs::read_to_string(&export_valid(&desk, &[seed.id], "first", &newsml_g2())[0]).unwrap();
    assert!(first.contains(r#"<signal qcode="sig:correction"/>"#), "{first}");
    assert!(first.contains("<edNote>정정 ") && first.contains("참석자 수 정정</edNote>"), "{first}");
    assert!(version_of(&first) > version_of(&before));

    let article = desk.library.article(seed.id).unwrap();
    let content = copydesk::article::Content { body: format!("{}\n\n추가 문단.", article.content.body), ..article.content.clone() };
    desk.library
        .correct(&editor, seed.id, Change { base: Some(article.head), content: Some(content), note: Some("문단 추가".into()) })
        .unwrap();
    let second = std::fs::read_to_string(&export_valid(&desk, &[seed.id], "second", &newsml_g2())[0]).unwrap();
    assert!(version_of(&second) > version_of(&first), "a correction exported again has a higher version");
    assert_eq!(second.matches("<edNote>").count(), 2);
}

#[test]
fn hostile_articles_still_export_valid_newsml_g2() {
    let mut desk = Desk::new();
    let mut ids = Vec::new();
    for file in ["hostile/script-everywhere.md", "hostile/urls-and-tricks.md", "export/corrected-with-table.md"] {
        let article = desk.import(file);
        ids.push(article.id);
    }
    let preview = ExportOptions { format: Format::NewsmlG2, preview: true, ..ExportOptions::default() };
    let items = export_valid(&desk, &ids, "hostile", &preview);
    for item in items {
        let text = std::fs::read_to_string(item).unwrap();
        assert!(!text.contains("<script"), "{text}");
        assert!(text.contains(r#"<pubStatus qcode="stat:withheld"/>"#));
    }
}

#[test]
fn ninjs_exported_then_imported_keeps_every_field() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let editor = desk.editor.clone();
    let article = desk.library.article(seed.id).unwrap();
    let mut content = article.content.clone();
    content.embargo = Some("2025-02-28T09:00:00+09:00".parse().unwrap());
    content.photos[0].creator = "김기랑".into();
    desk.library.save(&editor, seed.id, article.head, content).unwrap();
    let options = ExportOptions { format: Format::Ninjs, preview: true, ..ExportOptions::default() };
    let report = desk.export(&[seed.id], "ninjs", &options).unwrap();
    let exported = desk.library.article(seed.id).unwrap().content;

    let mut other = Desk::new();
    let back = import_file(&mut other, &report.articles[0].files[0]).unwrap().content;
    assert_eq!(back.section, exported.section);
    assert_eq!(back.headline, exported.headline);
    assert_eq!(back.subheadlines, exported.subheadlines);
    assert_eq!(back.dateline, exported.dateline);
    assert_eq!(back.bylines, exported.bylines);
    assert_eq!(back.body, exported.body);
    assert_eq!(back.tags, exported.tags);
    assert_eq!(back.embargo, exported.embargo);
    assert_eq!(back.photos.len(), exported.photos.len());
    for (back, exported) in back.photos.iter().zip(&exported.photos) {
        let fields = |photo: &copydesk::article::Photo| {
            (
                photo.file.clone(),
                photo.caption.clone(),
                photo.credit.clone(),
                photo.date,
                photo.email.clone(),
                photo.alt.clone(),
                photo.creator.clone(),
            )
        };
        assert_eq!(fields(back), fields(exported));
        assert_eq!((back.width, back.height, back.media_type.as_str()), (exported.width, exported.height, exported.media_type.as_str()));
    }
}

#[test]
fn ninjs_1_2_and_3_documents_import() {
    let folder = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let v1 = write(
        "v1.json",
        r#"{"uri": "urn:agency:1", "type": "text", "version": "3", "pubstatus": "usable", "urgency": 2,
            "headline": "1.x 제목", "byline": "홍길동 특파원", "located": "워싱턴",
            "body_html": "<p>첫 문단&nbsp;입니다.<br>줄</p><p>둘째 <em>문단</em>.</p>",
            "subject": [{"code": "04000000", "name": "경제"}], "embargoed": "2025-03-01T00:00:00Z"}"#,
    );
    let v2 = write(
        "v2.json",
        r#"{"uri": "urn:agency:2", "type": "text", "headlines": [{"role": "main", "value": "2.x 제목"}],
            "bodies": [{"role": "main", "contenttype": "text/plain", "value": "첫 문단.\n\n둘째 문단."}],
            "people": [{"name": "홍길동", "rel": "author", "contactinfo": [{"type": "email", "value": "hong@agency.example"}]}],
            "pubstatus": "withheld"}"#,
    );
    let mut desk = Desk::new();
    let one = import_file(&mut desk, &v1).unwrap().content;
    assert_eq!(one.headline, "1.x 제목");
    assert_eq!(one.bylines[0].credit(), "홍길동 특파원");
    assert_eq!(one.body, "첫 문단 입니다. 줄\n\n둘째 *문단*.");
    assert_eq!(one.tags, vec!["경제"]);
    assert_eq!(one.dateline.place, "워싱턴");
    let source = one.source.unwrap();
    assert_eq!((source.version, source.urgency), (3, Some(2)));
    let two = import_file(&mut desk, &v2).unwrap().content;
    assert_eq!(two.headline, "2.x 제목");
    assert_eq!(two.body, "첫 문단.\n\n둘째 문단.");
    assert_eq!(two.bylines[0].email, "hong@agency.example");
    assert_eq!(two.source.unwrap().pub_status, "withheld");
    let three = import_file(&mut desk, &fixture("ninjs/example-3.0-businesswire.json")).unwrap().content;
    assert!(!three.headline.is_empty());
    assert!(!three.body.is_empty());
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn reading_any_text_as_agency_copy_never_panics(
            text in prop_oneof![
                ".*",
                "<[a-zA-Z:]{1,8}( [a-z]{1,4}=\"[^\"]{0,6}\")?>[^<]{0,20}(<[^>]{0,12}>){0,6}",
                r#"\{"(uri|headline|headlines|bodies|associations|people)": (\[|\{|"|[0-9])[^\}]{0,40}\}"#,
            ],
        ) {
            let newsroom = copydesk::newsroom::Newsroom::default();
            let path = std::path::Path::new("item");
            let mut read_photo = |_: &str| -> Result<Vec<u8>, copydesk::import::PhotoError> {
                Err(copydesk::import::PhotoError::Refused("is not here".into()))
            };
            let _ = copydesk::wire::newsml::read(&text, path, &newsroom, &mut read_photo);
            let _ = copydesk::wire::ninjs::read(&text, path, &newsroom, &mut read_photo);
            let g2 = format!(r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><itemMeta><itemClass qcode="ninat:text"/></itemMeta><contentSet><inlineXML>{text}</inlineXML></contentSet></newsItem>"#);
            let _ = copydesk::wire::newsml::read(&g2, path, &newsroom, &mut read_photo);
        }
    }
}
