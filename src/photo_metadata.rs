//! IPTC photo metadata: the caption, credit, photographer, date, copyright and alt text that
//! agencies and photographers embed in their pictures, read from IPTC IIM (JPEG's Photoshop
//! APP13 block, in UTF-8 or the legacy EUC-KR/CP949 Korean agencies still send) and XMP (JPEG
//! APP1, PNG `iTXt`, WebP `XMP ` chunk), and written back as XMP into exported photos.
//!
//! When IIM and XMP disagree, the Metadata Working Group's rule decides (as ExifTool's MWG
//! module reads it): XMP wins unless the file's IIM digest (Photoshop resource 0x0425) no
//! longer matches its IIM, which means a program that knows only IIM changed it after XMP was
//! written; then IIM wins, unless it is XMP's value cut at IIM's field limit. A field only one
//! of them has comes from that one. EXIF is not read: its ImageDescription is mostly a camera's
//! model name, not a caption.
//!
//! The containers (JPEG segments, PNG chunks, RIFF chunks) are read and written with
//! `img-parts`; XMP is XML, read with `quick-xml` without DTDs or entities. Reading never fails:
//! a damaged or missing block gives empty fields.

use std::collections::HashMap;

use img_parts::Bytes;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What a photo's embedded metadata says, each field empty when it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct PhotoMetadata {
    /// IIM Caption-Abstract (2:120), XMP `dc:description`.
    pub caption: String,
    /// IIM Credit (2:110), XMP `photoshop:Credit`: shown as `[사진=credit]`.
    pub credit: String,
    /// The photographer: IIM By-line (2:80), XMP `dc:creator`, several joined with ", ".
    pub creator: String,
    /// IIM Date Created (2:55), XMP `photoshop:DateCreated`.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub date: Option<Date>,
    /// The photographer's email: XMP `Iptc4xmpCore:CiEmailWork`, or a by-line that is an address.
    pub email: String,
    /// XMP `Iptc4xmpCore:AltTextAccessibility`, else the photo's headline (IIM 2:105,
    /// `photoshop:Headline`) as a suggestion.
    pub alt: String,
    /// IIM Copyright Notice (2:116), XMP `dc:rights`.
    pub copyright: String,
}

impl PhotoMetadata {
    pub fn is_empty(&self) -> bool {
        *self == PhotoMetadata::default()
    }
}

const XMP_JPEG_HEADER: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENSION_HEADER: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const PHOTOSHOP_HEADER: &[u8] = b"Photoshop 3.0\0";
const PNG_XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";
const APP1: u8 = 0xE1;
const APP13: u8 = 0xED;
const WEBP_XMP: [u8; 4] = *b"XMP ";

const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
const NS_IPTC_CORE: &str = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/";
const NS_RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
use crate::xml::NS_XML;

/// Reads the embedded metadata of a JPEG, PNG or WebP photo; anything else, or a damaged
/// block, gives empty fields.
pub fn read(bytes: &[u8]) -> PhotoMetadata {
    let blocks = blocks(bytes);
    let iim = blocks.iim.as_deref().map(Iim::parse).unwrap_or_default();
    let xmp = blocks.xmp.as_deref().map(Xmp::parse).unwrap_or_default();
    // In sync unless a digest is there and no longer matches the IIM it was computed from.
    let in_sync = match (&blocks.iim, &blocks.iim_digest) {
        (Some(iim), Some(digest)) => {
            use md5::{Digest, Md5};
            Md5::digest(iim).as_slice() == digest.as_slice()
        }
        _ => true,
    };
    let pick = |iim: Option<String>, xmp: Option<String>, limit: usize| mwg(iim, xmp, in_sync, limit);
    let creators_xmp = xmp.all(NS_DC, "creator");
    let creator = pick(
        Some(iim.all(80).join(", ")).filter(|text| !text.is_empty()),
        Some(creators_xmp.join(", ")).filter(|text| !text.is_empty()),
        32,
    )
    .unwrap_or_default();
    let date = pick(iim.first(55), xmp.first(NS_PHOTOSHOP, "DateCreated"), 8).and_then(|text| parse_date(&text));
    let email = xmp
        .first(NS_IPTC_CORE, "CiEmailWork")
        .or_else(|| creator.split(',').map(str::trim).find(|name| looks_like_email(name)).map(String::from))
        .unwrap_or_default();
    let alt = xmp
        .first(NS_IPTC_CORE, "AltTextAccessibility")
        .or_else(|| pick(iim.first(105), xmp.first(NS_PHOTOSHOP, "Headline"), 256))
        .unwrap_or_default();
    PhotoMetadata {
        caption: pick(iim.first(120), xmp.first(NS_DC, "description"), 2000).unwrap_or_default(),
        credit: pick(iim.first(110), xmp.first(NS_PHOTOSHOP, "Credit"), 32).unwrap_or_default(),
        creator,
        date,
        email,
        alt,
        copyright: pick(iim.first(116), xmp.first(NS_DC, "rights"), 128).unwrap_or_default(),
    }
}

/// The Metadata Working Group's choice between a field's IIM and XMP values.
fn mwg(iim: Option<String>, xmp: Option<String>, in_sync: bool, limit: usize) -> Option<String> {
    match (iim, xmp) {
        (None, xmp) => xmp,
        (Some(iim), None) => Some(iim),
        (Some(_), Some(xmp)) if in_sync => Some(xmp),
        // IIM changed after XMP was written, unless it is only XMP's value cut to IIM's limit.
        (Some(iim), Some(xmp)) => Some(if iim.len() >= limit && xmp.starts_with(&iim) { xmp } else { iim }),
    }
}

fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() >= 10 && text.as_bytes().get(4) == Some(&b'-') {
        return text.get(..10)?.parse().ok();
    }
    if text.len() == 8 && text.bytes().all(|byte| byte.is_ascii_digit()) {
        let (year, month, day) = (text[..4].parse().ok()?, text[4..6].parse().ok()?, text[6..].parse().ok()?);
        return Date::new(year, month, day).ok();
    }
    None
}

fn looks_like_email(text: &str) -> bool {
    matches!(text.split_once('@'), Some((user, domain)) if !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace))
}

/// The raw metadata blocks of a photo file.
#[derive(Default)]
struct Blocks {
    iim: Option<Vec<u8>>,
    iim_digest: Option<Vec<u8>>,
    xmp: Option<Vec<u8>>,
}

fn blocks(bytes: &[u8]) -> Blocks {
    let mut blocks = Blocks::default();
    let owned = || Bytes::copy_from_slice(bytes);
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let Ok(jpeg) = img_parts::jpeg::Jpeg::from_bytes(owned()) else { return blocks };
        let mut photoshop = Vec::new();
        for segment in jpeg.segments() {
            let contents = segment.contents();
            if segment.marker() == APP1 && contents.starts_with(XMP_JPEG_HEADER) && blocks.xmp.is_none() {
                blocks.xmp = Some(contents[XMP_JPEG_HEADER.len()..].to_vec());
            } else if segment.marker() == APP13 && contents.starts_with(PHOTOSHOP_HEADER) {
                // A long resource block continues in the next APP13 segment.
                photoshop.extend_from_slice(&contents[PHOTOSHOP_HEADER.len()..]);
            }
        }
        for (id, data) in photoshop_resources(&photoshop) {
            match id {
                0x0404 if blocks.iim.is_none() => blocks.iim = Some(data.to_vec()),
                0x0425 if data.len() == 16 => blocks.iim_digest = Some(data.to_vec()),
                _ => {}
            }
        }
    } else if bytes.starts_with(b"\x89PNG") {
        let Ok(png) = img_parts::png::Png::from_bytes(owned()) else { return blocks };
        blocks.xmp = png.chunks_by_type(*b"iTXt").find_map(|chunk| png_xmp(chunk.contents()));
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        let Ok(webp) = img_parts::webp::WebP::from_bytes(owned()) else { return blocks };
        blocks.xmp = webp.chunk_by_id(WEBP_XMP).and_then(|chunk| chunk.content().data()).map(|data| data.to_vec());
    }
    blocks
}

/// The text of an uncompressed PNG `iTXt` chunk with XMP's keyword.
fn png_xmp(contents: &[u8]) -> Option<Vec<u8>> {
    let rest = contents.strip_prefix(PNG_XMP_KEYWORD)?.strip_prefix(b"\0")?;
    let (&compressed, rest) = rest.split_first()?;
    if compressed != 0 {
        return None;
    }
    let rest = rest.get(1..)?; // compression method
    let language_end = rest.iter().position(|byte| *byte == 0)?;
    let rest = &rest[language_end + 1..];
    let translated_end = rest.iter().position(|byte| *byte == 0)?;
    Some(rest[translated_end + 1..].to_vec())
}

/// The resources of a Photoshop image resource block: `8BIM`, id, padded Pascal name, size,
/// padded data. Stops at the first damaged one.
fn photoshop_resources(mut block: &[u8]) -> Vec<(u16, &[u8])> {
    let mut resources = Vec::new();
    while block.len() >= 12 && &block[..4] == b"8BIM" {
        let id = u16::from_be_bytes([block[4], block[5]]);
        let name_length = usize::from(block[6]);
        // The name's length byte and text together are padded to an even length.
        let name_total = (name_length + 1 + 1) & !1;
        let size_at = 6 + name_total;
        let Some(size) = block.get(size_at..size_at + 4) else { break };
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let data_at = size_at + 4;
        let Some(data) = block.get(data_at..data_at.saturating_add(size)) else { break };
        resources.push((id, data));
        let next = data_at + size + (size & 1);
        block = block.get(next..).unwrap_or_default();
    }
    resources
}

/// IPTC IIM records of the application record (2) and the coded character set (1:90).
#[derive(Default)]
struct Iim {
    fields: HashMap<u8, Vec<Vec<u8>>>,
    utf8: bool,
}

impl Iim {
    fn parse(mut data: &[u8]) -> Iim {
        let mut iim = Iim::default();
        while data.len() >= 5 && data[0] == 0x1C {
            let (record, dataset) = (data[1], data[2]);
            let mut length = usize::from(u16::from_be_bytes([data[3], data[4]]));
            let mut start = 5;
            if length & 0x8000 != 0 {
                // An extended dataset: the next (length & 0x7FFF) bytes hold the length.
                let count = length & 0x7FFF;
                let Some(octets) = data.get(5..5 + count).filter(|_| count <= 4) else { break };
                length = octets.iter().fold(0usize, |acc, byte| (acc << 8) | usize::from(*byte));
                start += count;
            }
            let Some(value) = data.get(start..start.saturating_add(length)) else { break };
            match record {
                1 if dataset == 90 => iim.utf8 = value.windows(3).any(|escape| escape == b"\x1b%G"),
                2 => iim.fields.entry(dataset).or_default().push(value.to_vec()),
                _ => {}
            }
            data = &data[start + length..];
        }
        iim
    }

    fn all(&self, dataset: u8) -> Vec<String> {
        self.fields.get(&dataset).into_iter().flatten().map(|value| self.decode(value)).filter(|text| !text.is_empty()).collect()
    }

    fn first(&self, dataset: u8) -> Option<String> {
        self.all(dataset).into_iter().next()
    }

    /// UTF-8 when the file says so or the bytes are UTF-8 (ASCII included); otherwise the
    /// Korean agencies' CP949 (EUC-KR and its extension), and Latin-1 when that fails too.
    fn decode(&self, value: &[u8]) -> String {
        let text = if self.utf8 {
            String::from_utf8_lossy(value).into_owned()
        } else if let Ok(text) = std::str::from_utf8(value) {
            text.to_string()
        } else {
            let (text, _, had_errors) = encoding_rs::EUC_KR.decode(value);
            if had_errors { encoding_rs::WINDOWS_1252.decode(value).0.into_owned() } else { text.into_owned() }
        };
        clean(&text)
    }
}

/// Trims a value and drops control characters (IIM pads with NULs, some writers end with CR).
fn clean(text: &str) -> String {
    let text: String =
        text.chars().map(|c| if c == '\r' || c == '\n' || c == '\t' { ' ' } else { c }).filter(|c| !c.is_control()).collect();
    text.trim().to_string()
}

/// The properties of an XMP packet, by (namespace, local name), each with its values in
/// order (an `rdf:Alt`'s `x-default` first).
#[derive(Default)]
struct Xmp {
    values: HashMap<(String, String), Vec<String>>,
}

impl Xmp {
    /// The properties of an XMP packet; a packet that is not XML we read (see [`crate::xml`])
    /// gives none.
    fn parse(bytes: &[u8]) -> Xmp {
        let mut xmp = Xmp::default();
        let Ok(text) = std::str::from_utf8(bytes) else { return xmp };
        // The packet wrapper's processing instructions are fine; trailing padding is white space.
        if let Ok(root) = crate::xml::parse(text.trim_end_matches(['\0', ' ', '\n', '\r', '\t'])) {
            xmp.walk(&root, None, false);
        }
        xmp
    }

    /// Collects every property's values: a property is the nearest element (or attribute)
    /// outside RDF's own vocabulary, so struct fields (`CiEmailWork`) count as themselves.
    fn walk(&mut self, element: &crate::xml::Element, property: Option<(&str, &str)>, _: bool) {
        let own = (element.namespace != NS_RDF && element.namespace != "adobe:ns:meta/")
            .then_some((element.namespace.as_str(), element.name.as_str()));
        let property = own.or(property);
        let default_language = element.attribute_in(NS_XML, "lang") == Some("x-default");
        for attribute in &element.attributes {
            if !attribute.namespace.is_empty() && attribute.namespace != NS_RDF && attribute.namespace != NS_XML {
                self.push((attribute.namespace.clone(), attribute.name.clone()), clean(&attribute.value), false);
            }
        }
        for node in &element.children {
            match node {
                crate::xml::Node::Element(child) => self.walk(child, property, default_language),
                crate::xml::Node::Text(text) => {
                    if let Some((namespace, name)) = property {
                        self.push((namespace.to_string(), name.to_string()), clean(text), default_language);
                    }
                }
            }
        }
    }

    fn push(&mut self, key: (String, String), value: String, first: bool) {
        if value.is_empty() {
            return;
        }
        let values = self.values.entry(key).or_default();
        if first { values.insert(0, value) } else { values.push(value) }
    }

    fn all(&self, namespace: &str, local: &str) -> Vec<String> {
        self.values.get(&(namespace.to_string(), local.to_string())).cloned().unwrap_or_default()
    }

    fn first(&self, namespace: &str, local: &str) -> Option<String> {
        self.all(namespace, local).into_iter().next()
    }
}

/// The XMP packet carrying `metadata`.
pub fn xmp_packet(metadata: &PhotoMetadata) -> String {
    use quick_xml::escape::escape;
    let text = |value: &str| escape(clean(value)).into_owned();
    let alt = |name: &str, value: &str| {
        if value.trim().is_empty() {
            String::new()
        } else {
            format!("   <{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{name}>\n", text(value))
        }
    };
    let simple = |name: &str, value: &str| {
        if value.trim().is_empty() { String::new() } else { format!("   <{name}>{}</{name}>\n", text(value)) }
    };
    let mut properties = String::new();
    properties.push_str(&alt("dc:description", &metadata.caption));
    let creators: Vec<&str> = metadata.creator.split(',').map(str::trim).filter(|name| !name.is_empty()).collect();
    if !creators.is_empty() {
        let items: String = creators.iter().map(|name| format!("<rdf:li>{}</rdf:li>", text(name))).collect();
        properties.push_str(&format!("   <dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>\n"));
    }
    properties.push_str(&alt("dc:rights", &metadata.copyright));
    properties.push_str(&simple("photoshop:Credit", &metadata.credit));
    if let Some(date) = metadata.date {
        properties.push_str(&simple("photoshop:DateCreated", &date.to_string()));
    }
    properties.push_str(&alt("Iptc4xmpCore:AltTextAccessibility", &metadata.alt));
    if !metadata.email.trim().is_empty() {
        properties.push_str(&format!(
            "   <Iptc4xmpCore:CreatorContactInfo rdf:parseType=\"Resource\"><Iptc4xmpCore:CiEmailWork>{}</Iptc4xmpCore:CiEmailWork></Iptc4xmpCore:CreatorContactInfo>\n",
            text(&metadata.email)
        ));
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n <rdf:RDF xmlns:rdf=\"{NS_RDF}\">\n  \
         <rdf:Description rdf:about=\"\" xmlns:dc=\"{NS_DC}\" xmlns:photoshop=\"{NS_PHOTOSHOP}\" xmlns:Iptc4xmpCore=\"{NS_IPTC_CORE}\">\n\
         {properties}  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
    )
}

/// A JPEG's XMP lives in one APP1 segment of at most 65,535 bytes with its header and length.
const MAX_JPEG_XMP: usize = 65_533 - XMP_JPEG_HEADER.len();

/// `bytes` with `metadata` as their XMP, replacing the XMP (and, in a JPEG, the IIM) they had,
/// so no stale caption survives beside the new one. GIF, and anything that cannot be parsed,
/// comes back unchanged: the picture matters more than its caption.
pub fn embed(bytes: &[u8], metadata: &PhotoMetadata) -> Vec<u8> {
    if metadata.is_empty() {
        return bytes.to_vec();
    }
    let packet = xmp_packet(metadata);
    let owned = Bytes::copy_from_slice(bytes);
    let written = if bytes.starts_with(&[0xFF, 0xD8]) {
        if packet.len() > MAX_JPEG_XMP {
            return bytes.to_vec();
        }
        img_parts::jpeg::Jpeg::from_bytes(owned).ok().map(|mut jpeg| {
            let segments = jpeg.segments_mut();
            segments.retain(|segment| {
                let contents = segment.contents();
                let xmp = segment.marker() == APP1 && (contents.starts_with(XMP_JPEG_HEADER) || contents.starts_with(XMP_EXTENSION_HEADER));
                let iim = segment.marker() == APP13 && contents.starts_with(PHOTOSHOP_HEADER);
                !xmp && !iim
            });
            // After JFIF (APP0) and EXIF (APP1), as XMP's specification places it.
            let at = segments.iter().take_while(|segment| matches!(segment.marker(), 0xE0 | APP1)).count();
            let mut contents = XMP_JPEG_HEADER.to_vec();
            contents.extend_from_slice(packet.as_bytes());
            segments.insert(at, img_parts::jpeg::JpegSegment::new_with_contents(APP1, Bytes::from(contents)));
            jpeg.encoder().bytes().to_vec()
        })
    } else if bytes.starts_with(b"\x89PNG") {
        img_parts::png::Png::from_bytes(owned).ok().map(|mut png| {
            let chunks = png.chunks_mut();
            chunks.retain(|chunk| !(chunk.kind() == *b"iTXt" && png_xmp(chunk.contents()).is_some()));
            let mut contents = PNG_XMP_KEYWORD.to_vec();
            contents.extend_from_slice(&[0, 0, 0, 0, 0]);
            contents.extend_from_slice(packet.as_bytes());
            let at = chunks.iter().position(|chunk| chunk.kind() == *b"IDAT").unwrap_or(chunks.len().saturating_sub(1));
            chunks.insert(at, img_parts::png::PngChunk::new(*b"iTXt", Bytes::from(contents)));
            png.encoder().bytes().to_vec()
        })
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        img_parts::webp::WebP::from_bytes(owned).ok().map(|mut webp| {
            use img_parts::ImageEXIF;
            webp.remove_chunks_by_id(WEBP_XMP);
            let chunk = img_parts::riff::RiffChunk::new(WEBP_XMP, img_parts::riff::RiffContent::Data(Bytes::from(packet.into_bytes())));
            webp.chunks_mut().push(chunk);
            // Setting EXIF (to what it was) makes img-parts write the extended header and its XMP flag.
            let exif = webp.exif();
            webp.set_exif(exif);
            webp.encoder().bytes().to_vec()
        })
    } else {
        None
    };
    written.unwrap_or_else(|| bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mwg_prefers_xmp_unless_iim_changed_since() {
        let (iim, xmp) = (Some("IIM".to_string()), Some("XMP".to_string()));
        assert_eq!(mwg(iim.clone(), xmp.clone(), true, 32).as_deref(), Some("XMP"));
        assert_eq!(mwg(iim.clone(), xmp.clone(), false, 32).as_deref(), Some("IIM"));
        assert_eq!(mwg(iim.clone(), None, true, 32).as_deref(), Some("IIM"));
        assert_eq!(mwg(None, xmp, false, 32).as_deref(), Some("XMP"));
        // IIM's value is XMP's cut at IIM's limit: the longer XMP is the same text, whole.
        assert_eq!(mwg(Some("가나".into()), Some("가나다라".into()), false, 6).as_deref(), Some("가나다라"));
    }

    #[test]
    fn iim_in_cp949_reads_as_korean() {
        let (caption, _, _) = encoding_rs::EUC_KR.encode("기념사진을 촬영하고 있다");
        let mut data = vec![0x1C, 2, 120, 0, caption.len() as u8];
        data.extend_from_slice(&caption);
        assert_eq!(Iim::parse(&data).first(120).as_deref(), Some("기념사진을 촬영하고 있다"));
    }

    #[test]
    fn damaged_blocks_read_as_nothing() {
        assert!(read(b"").is_empty());
        assert!(read(&[0xFF, 0xD8, 0xFF, 0xED, 0, 4, 1]).is_empty());
        assert!(Iim::parse(&[0x1C, 2, 120, 0x80, 9]).fields.is_empty());
        assert!(photoshop_resources(b"8BIM\x04\x04\0\0\xff\xff\xff\xff").is_empty());
    }

    #[test]
    fn written_xmp_reads_back() {
        let metadata = PhotoMetadata {
            caption: "기념사진 <촬영> & 발언".into(),
            credit: "중소벤처기업진흥공단".into(),
            creator: "김기랑, 이영종".into(),
            date: Some(jiff::civil::date(2025, 2, 20)),
            email: "rang@newspim.com".into(),
            alt: "협약식 참석자들".into(),
            copyright: "© 뉴스핌".into(),
        };
        let xmp = Xmp::parse(xmp_packet(&metadata).as_bytes());
        assert_eq!(xmp.first(NS_DC, "description").as_deref(), Some("기념사진 <촬영> & 발언"));
        assert_eq!(xmp.all(NS_DC, "creator"), vec!["김기랑", "이영종"]);
        assert_eq!(xmp.first(NS_IPTC_CORE, "CiEmailWork").as_deref(), Some("rang@newspim.com"));
        assert_eq!(xmp.first(NS_PHOTOSHOP, "DateCreated").as_deref(), Some("2025-02-20"));
    }

    #[test]
    fn xmp_with_a_doctype_is_not_read() {
        let hostile = b"<!DOCTYPE x [<!ENTITY a \"b\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
        assert!(Xmp::parse(hostile).values.is_empty());
    }
}
