//! Photos' embedded IPTC metadata, written by a real metadata tool (ExifTool, Debian's
//! `libimage-exiftool-perl`, installed by `scripts/install-deps`): read into a photo's fields
//! (IIM in UTF-8 and CP949, XMP in JPEG, PNG and WebP, the MWG rule when they disagree), and
//! written back into exported photos, where ExifTool reads it again.

use std::path::{Path, PathBuf};
use std::process::Command;

use copydesk::photo_metadata::{self, PhotoMetadata};
use jiff::civil::date;

use crate::export_support::{Desk, html};

fn exiftool(args: &[&str]) -> String {
    let output = Command::new("exiftool").args(args).output().unwrap_or_else(|error| {
        panic!("exiftool cannot run ({error}): install Debian's libimage-exiftool-perl (scripts/install-deps does)")
    });
    assert!(output.status.success(), "exiftool {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A small picture without any metadata, in `format`.
fn plain_photo(folder: &Path, name: &str, format: image::ImageFormat) -> PathBuf {
    let path = folder.join(name);
    let picture = image::RgbImage::from_fn(48, 32, |x, y| image::Rgb([(x * 5) as u8, (y * 7) as u8, 128]));
    picture.save_with_format(&path, format).expect("picture written");
    path
}

fn read(path: &Path) -> PhotoMetadata {
    photo_metadata::read(&std::fs::read(path).expect("photo"))
}

const CAPTION: &str = "20일(현지시간) 일본 도쿄에서 열린 업무협약식에서 참석자들이 기념사진을 촬영하고 있다.";

#[test]
fn iim_in_utf8_fills_caption_credit_date_and_photographer() {
    let folder = tempfile::tempdir().unwrap();
    let photo = plain_photo(folder.path(), "utf8.jpg", image::ImageFormat::Jpeg);
    let path = photo.to_str().unwrap();
    exiftool(&[
        "-q",
        "-overwrite_original",
        "-IPTC:CodedCharacterSet=UTF8",
        &format!("-IPTC:Caption-Abstract={CAPTION}"),
        "-IPTC:Credit=중소벤처기업진흥공단",
        "-IPTC:By-line=rang@newspim.com",
        "-IPTC:DateCreated=2025:02:20",
        "-IPTC:Headline=업무협약식 기념사진",
        "-IPTC:CopyrightNotice=© 뉴스핌",
        path,
    ]);
    let metadata = read(&photo);
    assert_eq!(metadata.caption, CAPTION);
    assert_eq!(metadata.credit, "중소벤처기업진흥공단");
    assert_eq!(metadata.creator, "rang@newspim.com");
    assert_eq!(metadata.email, "rang@newspim.com", "a by-line that is an address signs the photo off");
    assert_eq!(metadata.date, Some(date(2025, 2, 20)));
    assert_eq!(metadata.alt, "업무협약식 기념사진", "the photo's headline is the alt text suggestion");
    assert_eq!(metadata.copyright, "© 뉴스핌");
}

#[test]
fn iim_in_cp949_reads_as_korean() {
    let folder = tempfile::tempdir().unwrap();
    let photo = plain_photo(folder.path(), "cp949.jpg", image::ImageFormat::Jpeg);
    let (caption, _, _) = encoding_rs::EUC_KR.encode(CAPTION);
    let (credit, _, _) = encoding_rs::EUC_KR.encode("중소벤처기업진흥공단");
    let (byline, _, _) = encoding_rs::EUC_KR.encode("김기랑 기자");
    let (caption_file, credit_file, byline_file) =
        (folder.path().join("caption"), folder.path().join("credit"), folder.path().join("byline"));
    std::fs::write(&caption_file, &caption).unwrap();
    std::fs::write(&credit_file, &credit).unwrap();
    std::fs::write(&byline_file, &byline).unwrap();
    // Latin in and Latin out: ExifTool stores the CP949 bytes as they are, with no character set.
    exiftool(&[
        "-q",
        "-overwrite_original",
        "-charset",
        "Latin",
        "-charset",
        "iptc=Latin",
        &format!("-IPTC:Caption-Abstract<={}", caption_file.display()),
        &format!("-IPTC:Credit<={}", credit_file.display()),
        &format!("-IPTC:By-line<={}", byline_file.display()),
        photo.to_str().unwrap(),
    ]);
    assert!(!exiftool(&["-s", "-IPTC:CodedCharacterSet", photo.to_str().unwrap()]).contains("UTF8"), "the IIM is not marked UTF-8");
    let metadata = read(&photo);
    assert_eq!(metadata.caption, CAPTION);
    assert_eq!(metadata.credit, "중소벤처기업진흥공단");
    assert_eq!(metadata.creator, "김기랑 기자");
}

#[test]
fn xmp_is_read_from_jpeg_png_and_webp() {
    let folder = tempfile::tempdir().unwrap();
    for (name, format) in [("x.jpg", image::ImageFormat::Jpeg), ("x.png", image::ImageFormat::Png), ("x.webp", image::ImageFormat::WebP)] {
        let photo = plain_photo(folder.path(), name, format);
        exiftool(&[
            "-q",
            "-overwrite_original",
            &format!("-XMP-dc:Description={CAPTION}"),
            "-XMP-photoshop:Credit=중소벤처기업진흥공단",
            "-XMP-dc:Creator=김기랑",
            "-XMP-dc:Creator=이영종",
            "-XMP-photoshop:DateCreated=2025:02:20",
            "-XMP-iptcCore:AltTextAccessibility=협약식 참석자들이 나란히 선 모습",
            "-XMP-iptcCore:CreatorWorkEmail=rang@newspim.com",
            photo.to_str().unwrap(),
        ]);
        let metadata = read(&photo);
        assert_eq!(metadata.caption, CAPTION, "{name}");
        assert_eq!(metadata.credit, "중소벤처기업진흥공단", "{name}");
        assert_eq!(metadata.creator, "김기랑, 이영종", "{name}");
        assert_eq!(metadata.date, Some(date(2025, 2, 20)), "{name}");
        assert_eq!(metadata.alt, "협약식 참석자들이 나란히 선 모습", "{name}");
        assert_eq!(metadata.email, "rang@newspim.com", "{name}");
    }
}

/// ExifTool's reading of the MWG rule, for comparison.
fn mwg_description(photo: &Path) -> String {
    exiftool(&["-use", "MWG", "-b", "-MWG:Description", photo.to_str().unwrap()])
}

#[test]
fn conflicting_iim_and_xmp_follow_the_mwg_rule() {
    let folder = tempfile::tempdir().unwrap();
    let photo = plain_photo(folder.path(), "both.jpg", image::ImageFormat::Jpeg);
    let path = photo.to_str().unwrap();
    // Written together by a tool that keeps them in sync: the digest matches, XMP wins.
    exiftool(&[
        "-q",
        "-overwrite_original",
        "-IPTC:CodedCharacterSet=UTF8",
        "-IPTC:Caption-Abstract=IIM 캡션",
        "-IPTC:Credit=IIM 제공",
        "-XMP-dc:Description=XMP 캡션",
        "-Photoshop:IPTCDigest=new",
        path,
    ]);
    let metadata = read(&photo);
    assert_eq!(metadata.caption, "XMP 캡션");
    assert_eq!(metadata.caption, mwg_description(&photo));
    assert_eq!(metadata.credit, "IIM 제공", "a field only IIM has comes from IIM");

    // Then an IIM-only program changes the caption: the digest no longer matches, IIM wins.
    exiftool(&["-q", "-overwrite_original", "-IPTC:Caption-Abstract=IIM 나중에 고침", path]);
    let metadata = read(&photo);
    assert_eq!(metadata.caption, "IIM 나중에 고침");
    assert_eq!(metadata.caption, mwg_description(&photo));

    // Without any digest the two are taken to be in sync: XMP wins.
    exiftool(&["-q", "-overwrite_original", "-Photoshop:IPTCDigest=", path]);
    assert_eq!(read(&photo).caption, "XMP 캡션");
    assert_eq!(mwg_description(&photo), "XMP 캡션");
}

#[test]
fn a_photo_without_metadata_leaves_the_fields_empty() {
    let folder = tempfile::tempdir().unwrap();
    for (name, format) in [("x.jpg", image::ImageFormat::Jpeg), ("x.png", image::ImageFormat::Png), ("x.webp", image::ImageFormat::WebP)] {
        assert!(read(&plain_photo(folder.path(), name, format)).is_empty(), "{name}");
    }
}

#[test]
fn a_photo_added_to_the_library_comes_captioned_like_the_seed() {
    let folder = tempfile::tempdir().unwrap();
    let photo = plain_photo(folder.path(), "ceremony.jpg", image::ImageFormat::Jpeg);
    exiftool(&[
        "-q",
        "-overwrite_original",
        &format!("-XMP-dc:Description={CAPTION}"),
        "-XMP-photoshop:Credit=중소벤처기업진흥공단",
        "-XMP-photoshop:DateCreated=2025:02:20",
        "-XMP-iptcCore:CreatorWorkEmail=rang@newspim.com",
        photo.to_str().unwrap(),
    ]);
    let mut desk = Desk::new();
    let image = desk.library.add_image(std::fs::read(&photo).unwrap()).unwrap();
    let entry = copydesk::article::Photo::from_image("photos/ceremony.jpg", &image);
    assert_eq!(entry.caption, CAPTION);
    assert_eq!(copydesk::render::credit_line(&entry), "[사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com");

    // Imported through an article file: what the front matter gives stands, the rest is read.
    let article_folder = folder.path().join("article");
    std::fs::create_dir_all(article_folder.join("photos")).unwrap();
    std::fs::copy(&photo, article_folder.join("photos/ceremony.jpg")).unwrap();
    std::fs::write(
        article_folder.join("article.md"),
        "---\nheadline: 협약 체결\nphotos:\n  - file: photos/ceremony.jpg\n    caption: 기자가 쓴 캡션\n---\n본문.\n",
    )
    .unwrap();
    let imported = copydesk::import::read_file(&article_folder.join("article.md"), &desk.library.newsroom().unwrap()).unwrap();
    let photo = &imported.content.photos[0];
    assert_eq!(photo.caption, "기자가 쓴 캡션", "nothing the reporter typed is overwritten");
    assert_eq!(photo.credit, "중소벤처기업진흥공단");
    assert_eq!(photo.date, Some(date(2025, 2, 20)));
    let article = desk.library.import(&desk.editor, imported).unwrap();
    assert_eq!(article.content.photos[0].email, "rang@newspim.com");
}

#[test]
fn exported_photos_carry_caption_credit_byline_and_copyright() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let report = desk.export(&[seed.id], "site", &html()).unwrap();
    let photos: Vec<&PathBuf> = report.articles[0].files.iter().filter(|file| file.to_string_lossy().contains("media/")).collect();
    assert_eq!(photos.len(), 2);
    for (file, photo) in photos.iter().zip(&seed.content.photos) {
        let tags: serde_json::Value = serde_json::from_str(&exiftool(&[
            "-j",
            "-XMP-dc:Description",
            "-XMP-photoshop:Credit",
            "-XMP-dc:Creator",
            "-XMP-dc:Rights",
            "-XMP-iptcCore:CreatorWorkEmail",
            file.to_str().unwrap(),
        ]))
        .unwrap();
        let tags = &tags[0];
        assert_eq!(tags["Description"], photo.caption.as_str(), "{}", file.display());
        assert_eq!(tags["Credit"], photo.credit.as_str());
        assert_eq!(tags["Creator"], "김기랑", "the article's byline when the photo names no photographer");
        assert_eq!(tags["Rights"], "© 뉴스핌");
        assert_eq!(tags["CreatorWorkEmail"], photo.email.as_str());
        // The picture itself is untouched: it still decodes to the same size.
        let decoded = image::open(file).expect("still a picture");
        assert_eq!((decoded.width(), decoded.height()), (photo.width, photo.height));
    }
    let page = std::fs::read_to_string(report.articles[0].files[0].clone()).unwrap();
    let json_ld = crate::export_support::json_ld(&page);
    let image = &json_ld["image"][0];
    assert_eq!(image["creditText"], "중소벤처기업진흥공단");
    assert_eq!(image["creator"][0]["name"], "김기랑");
    assert_eq!(image["copyrightNotice"], "© 뉴스핌");
}

#[test]
fn xmp_written_into_png_and_webp_reads_back_with_exiftool() {
    let folder = tempfile::tempdir().unwrap();
    let metadata = PhotoMetadata {
        caption: CAPTION.into(),
        credit: "중소벤처기업진흥공단".into(),
        creator: "김기랑".into(),
        copyright: "© 뉴스핌".into(),
        ..PhotoMetadata::default()
    };
    for (name, format) in [("x.png", image::ImageFormat::Png), ("x.webp", image::ImageFormat::WebP), ("x.jpg", image::ImageFormat::Jpeg)] {
        let plain = plain_photo(folder.path(), name, format);
        let written = folder.path().join(format!("out-{name}"));
        std::fs::write(&written, photo_metadata::embed(&std::fs::read(&plain).unwrap(), &metadata)).unwrap();
        assert_eq!(exiftool(&["-b", "-XMP-dc:Description", written.to_str().unwrap()]), CAPTION, "{name}");
        assert_eq!(exiftool(&["-b", "-XMP-photoshop:Credit", written.to_str().unwrap()]), "중소벤처기업진흥공단", "{name}");
        assert_eq!(read(&written), metadata, "{name}: Copydesk reads back what it wrote");
        image::open(&written).unwrap_or_else(|error| panic!("{name} still decodes: {error}"));
    }
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reading_any_bytes_after_an_image_header_never_panics(
            header in prop::sample::select(vec![&b"\xFF\xD8\xFF\xED"[..], b"\xFF\xD8\xFF\xE1", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP"]),
            tail in prop::collection::vec(any::<u8>(), 0..600),
        ) {
            let mut bytes = header.to_vec();
            bytes.extend(tail);
            let _ = copydesk::photo_metadata::read(&bytes);
            let _ = copydesk::photo_metadata::embed(&bytes, &copydesk::photo_metadata::PhotoMetadata { caption: "캡션".into(), ..Default::default() });
        }
    }
}
