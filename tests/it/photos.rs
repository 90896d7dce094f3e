//! Photos named by an article file: only regular files inside the article's folder, of a
//! bounded size, that really decode as the image they claim to be.

use crate::common::Desk;

use std::path::{Path, PathBuf};

use copydesk::import::{ImportProblem, read_file};
use copydesk::newsroom::Newsroom;

const PIXEL_PNG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/photos/pixel.png");

/// `root/article/article.md` naming `file` as its only photo (on line 4), with
/// `root/article/photos/pixel.png` and `root/outside.png` beside it.
struct Folder {
    root: tempfile::TempDir,
}

impl Folder {
    fn new() -> Folder {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("article/photos")).unwrap();
        std::fs::copy(PIXEL_PNG, root.path().join("article/photos/pixel.png")).unwrap();
        std::fs::copy(PIXEL_PNG, root.path().join("outside.png")).unwrap();
        Folder { root }
    }

    fn article(&self) -> PathBuf {
        self.root.path().join("article")
    }

    fn put(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.article().join(name), bytes).unwrap();
    }

    fn read(&self, file: &str) -> Result<copydesk::import::ImportedArticle, Vec<ImportProblem>> {
        let path = self.article().join("article.md");
        std::fs::write(&path, format!("---\nheadline: 제목\nphotos:\n  - file: {file}\n    caption: 설명\n---\n본문\n")).unwrap();
        read_file(&path, &Newsroom::default())
    }

    /// The one problem importing `file` gives; it must be on the photo's line and name the file.
    fn refused(&self, file: &str) -> String {
        let problems = self.read(file).expect_err("the photo is refused");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].line, Some(4), "{problems:#?}");
        assert!(problems[0].to_string().contains("article.md:4:"), "{}", problems[0]);
        assert!(problems[0].message.contains(file), "{}", problems[0]);
        problems[0].message.clone()
    }
}

fn assert_says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} missing from {message:?}");
    }
}

#[test]
fn photos_inside_the_article_folder_are_read() {
    let folder = Folder::new();
    #[cfg(unix)]
    std::os::unix::fs::symlink("photos/pixel.png", folder.article().join("inside.png")).unwrap();
    for file in ["photos/pixel.png", "./photos/../photos/pixel.png", "inside.png"] {
        let article = folder.read(file).unwrap_or_else(|problems| panic!("{file}: {problems:#?}"));
        assert_eq!((article.content.photos[0].width, article.content.photos[0].height), (8, 6));
    }
}

#[test]
fn photos_outside_the_article_folder_are_refused() {
    let folder = Folder::new();
    let absolute = folder.root.path().join("outside.png");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&absolute, folder.article().join("link.png")).unwrap();
    for file in ["../outside.png", absolute.to_str().unwrap(), "photos/../../outside.png", "link.png"] {
        let message = folder.refused(file);
        assert_says(&message, &["outside the article's folder", "copy the photo into"]);
    }
}

#[test]
fn a_photo_over_the_size_limit_is_refused_without_reading_it() {
    let folder = Folder::new();
    // Sparse: 51 MB on paper, nothing on disk.
    let big = std::fs::File::create(folder.article().join("big.jpg")).unwrap();
    big.set_len(51 * 1024 * 1024).unwrap();
    let message = folder.refused("big.jpg");
    assert_says(&message, &["51.0 MB", "over the 50 MB limit", "--max-photo-mb"]);
}

#[cfg(unix)]
#[test]
fn device_files_and_fifos_are_not_photos() {
    let folder = Folder::new();
    std::os::unix::fs::symlink("/dev/zero", folder.article().join("zero.jpg")).unwrap();
    let fifo = folder.article().join("fifo.jpg");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::fs::create_dir(folder.article().join("folder.jpg")).unwrap();
    for file in ["fifo.jpg", "folder.jpg"] {
        assert_says(&folder.refused(file), &["is not a regular file"]);
    }
    for file in ["zero.jpg", "/dev/zero"] {
        assert_says(&folder.refused(file), &["outside the article's folder"]);
    }
    // A device inside the folder itself (here the folder is /dev) is refused before it is read.
    match copydesk::import::read_photo_in(Path::new("/dev"), "zero", 50 * 1024 * 1024) {
        Err(copydesk::import::PhotoError::Refused(why)) => assert_says(&why, &["is not a regular file", "it is a device"]),
        other => panic!("/dev/zero was not refused: {:?}", other.map(|bytes| bytes.len())),
    }
}

#[test]
fn the_photo_size_limit_can_be_changed() {
    let folder = Folder::new();
    std::fs::File::create(folder.article().join("big.jpg")).unwrap().set_len(3 * 1024 * 1024).unwrap();
    let path = folder.article().join("article.md");
    std::fs::write(&path, "---\nheadline: 제목\nphotos:\n  - file: big.jpg\n---\n본문\n").unwrap();
    let strict = copydesk::import::ImportOptions::with_max_photo_mb(2);
    let problems = copydesk::import::read_file_with(&path, &Newsroom::default(), &strict).unwrap_err();
    assert_says(&problems[0].message, &["3.0 MB, over the 2 MB limit"]);
    // Under a larger limit the file is read, and refused only for not being an image.
    let problems = copydesk::import::read_file_with(&path, &Newsroom::default(), &Default::default()).unwrap_err();
    assert_says(&problems[0].message, &["is not a JPEG, PNG, GIF or WebP image"]);
}

/// A PNG whose header says `width`×`height`, with a few bytes of (unreadable) image data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A PNG header followed by a web page: what a sniffer reading only the header would accept.
fn png_header_then_html() -> Vec<u8> {
    let mut bytes = std::fs::read(PIXEL_PNG).unwrap()[..33].to_vec();
    bytes.extend_from_slice(b"<html><body><script>alert(document.cookie)</script></body></html>");
    bytes
}

/// The start of an AVIF file: its `ftyp` box.
const AVIF: &[u8] = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf\0\0\0\0";

#[test]
fn a_photo_that_does_not_decode_is_refused() {
    let folder = Folder::new();
    folder.put("page.png", &png_header_then_html());
    assert_says(&folder.refused("page.png"), &["cannot be decoded", "save it again as JPEG or PNG"]);
}

#[test]
fn a_decompression_bomb_is_refused_by_its_pixel_count() {
    let folder = Folder::new();
    folder.put("bomb.png", &png_claiming(20_000, 20_000));
    assert_says(&folder.refused("bomb.png"), &["20000×20000", "100 megapixels", "scale it down"]);
}

#[test]
fn avif_is_refused_with_a_way_to_convert_it() {
    let folder = Folder::new();
    folder.put("photo.avif", AVIF);
    assert_says(&folder.refused("photo.avif"), &["AVIF", "convert it to JPEG or PNG"]);
}

#[test]
fn the_library_decodes_photos_it_is_given() {
    let mut desk = Desk::new();
    for (bytes, says) in [
        (png_header_then_html(), "cannot be decoded"),
        (png_claiming(20_000, 20_000), "100 megapixels"),
        (AVIF.to_vec(), "convert it to JPEG or PNG"),
    ] {
        let message = desk.library.add_image(bytes).unwrap_err().to_string();
        assert!(message.contains(says), "{says:?} missing from {message:?}");
    }
    let image = desk.library.add_image(std::fs::read(PIXEL_PNG).unwrap()).unwrap();
    assert_eq!((image.width, image.height, image.media_type.as_str()), (8, 6, "image/png"));
    assert_eq!(image.bytes, std::fs::read(PIXEL_PNG).unwrap(), "the bytes are stored as they came");
}

#[test]
fn the_seed_photos_keep_their_decoded_sizes() {
    let seed = Path::new(crate::common::SEED_ARTICLE);
    let article = read_file(seed, &Newsroom::default()).unwrap();
    assert!(article.content.photos.iter().all(|photo| photo.width > 0 && photo.height > 0 && photo.media_type == "image/jpeg"));
}

/// Damaged copies of real photos: bytes changed here and there, or cut short.
fn damaged_photo() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let seed_jpeg = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed-article/photos/vice-chairman-speech.jpg");
    let originals = vec![std::fs::read(PIXEL_PNG).unwrap(), std::fs::read(seed_jpeg).unwrap(), png_claiming(64, 64)];
    (
        prop::sample::select(originals),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut bytes, changes, cut)| {
            for (at, byte) in changes {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            bytes.truncate(cut.index(bytes.len() + 1).max(8));
            bytes
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// A damaged photo is refused or accepted with a size; it never takes the program down.
    #[test]
    fn damaged_photos_never_panic(bytes in damaged_photo()) {
        match copydesk::import::describe_image(bytes) {
            Ok(image) => proptest::prop_assert!(image.width > 0 && image.height > 0),
            Err(why) => proptest::prop_assert!(!why.is_empty()),
        }
    }
}

#[test]
fn a_photo_picked_in_the_app_is_read_only_if_it_is_an_ordinary_file_of_sensible_size() {
    use copydesk::import::read_picked_photo;
    let limit = 50 * 1024 * 1024;
    let jpeg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-article/photos/signing-ceremony.jpg");
    assert_eq!(read_picked_photo(&jpeg, limit).unwrap(), std::fs::read(&jpeg).unwrap());
    // A device reads forever: refused by what it is, before a byte is read.
    let zero = read_picked_photo(std::path::Path::new("/dev/zero"), limit).unwrap_err();
    assert!(zero.to_string().contains("it is a device, not a photo file"), "{zero}");
    let too_big = read_picked_photo(&jpeg, 1000).unwrap_err();
    assert!(too_big.to_string().contains("MB, over the 0 MB limit"), "{too_big}");
}
