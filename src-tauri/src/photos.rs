//! Photos in the window: `photo://localhost/<image sha>` serves a stored image's bytes, so the
//! editor and the preview show photos without copying them out of the library.

use std::borrow::Cow;

use copydesk::article::ImageRef;
use tauri::http::{Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext};

use crate::AppState;

pub fn serve<R: Runtime>(context: UriSchemeContext<'_, R>, request: Request<Vec<u8>>) -> Response<Cow<'static, [u8]>> {
    let sha = request.uri().path().trim_start_matches('/').to_string();
    let state = context.app_handle().state::<AppState>();
    let image = ImageRef(sha);
    let image = state.run(
        |desk| Ok(desk.library()?.image(&image).map(|image| (image.media_type, image.bytes))?),
        |remote| {
            let bytes = remote.call(|client| client.image(&image))?;
            Ok((media_type(&bytes).to_string(), bytes))
        },
    );
    let response = match image {
        Ok((media_type, bytes)) => Response::builder()
            .header("Content-Type", media_type)
            .header("Cache-Control", "max-age=31536000, immutable")
            .body(Cow::<'static, [u8]>::Owned(bytes)),
        Err(error) => Response::builder().status(StatusCode::NOT_FOUND).body(Cow::<'static, [u8]>::Owned(error.message.into_bytes())),
    };
    response.unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..])))
}

/// The type of a photo by its first bytes: the server sends only the bytes, and the window
/// needs a type to show them.
fn media_type(bytes: &[u8]) -> &'static str {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => "application/octet-stream",
    }
}

/// The URL the window loads a stored image from.
pub fn url(image: &ImageRef) -> String {
    format!("photo://localhost/{}", image.0)
}

/// Undoes the UI's `encodeURIComponent` of a file name sent in a header.
pub fn decode_name(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `photos/<name>`, keeping only the last path part of what the user's file was called.
pub fn file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let base: String = base.chars().map(|c| if c.is_control() || c == ':' { '_' } else { c }).collect();
    let base = base.trim_start_matches('.');
    format!("photos/{}", if base.is_empty() { "photo" } else { base })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_back_from_the_header() {
        assert_eq!(decode_name("%ED%98%91%EC%95%BD%EC%8B%9D.jpg"), "협약식.jpg");
        assert_eq!(file_name("../../etc/passwd"), "photos/passwd");
        assert_eq!(file_name("C:\\사진\\협약식.jpg"), "photos/협약식.jpg");
    }

    #[test]
    fn a_photo_from_the_server_is_served_with_the_type_its_bytes_say() {
        assert_eq!(media_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), "image/jpeg");
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\n"), "image/png");
        assert_eq!(media_type(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(media_type(b"<html>"), "application/octet-stream");
    }
}
