//! The QR code of a version's link, drawn in the binary as an SVG element for
//! phones: scan it, and the phone's browser is on that version.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The longest link encoded (a QR code holds about 2 KB at level M).
const MAX_LINK: usize = 1024;

/// Whether `link` gets a QR code (short enough to encode).
pub fn encodable(link: &str) -> bool {
    link.len() <= MAX_LINK
}

/// `<svg …>` of `link` (no XML declaration: it goes inside a page), or
/// `None` for a link too long to encode.
pub fn svg(link: &str) -> Option<String> {
    if !encodable(link) {
        return None;
    }
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // The renderer writes only its own markup (rectangles and a path); the
    // link is encoded in the modules, never written as text.
    let start = image.find("<svg")?;
    Some(image[start..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_is_an_element_without_the_link_in_it() {
        let link = "http://api.dev.test/_dynroute/use/feature-1?x=<script>";
        let image = svg(link).unwrap();
        assert!(image.starts_with("<svg"), "{image}");
        assert!(image.ends_with("</svg>"), "{image}");
        assert!(!image.contains("script") && !image.contains("dynroute"));
        assert_eq!(svg(&"x".repeat(MAX_LINK + 1)), None);
        assert!(!encodable(&"x".repeat(MAX_LINK + 1)));
        let longest = "x".repeat(MAX_LINK);
        assert!(encodable(&longest) && svg(&longest).is_some());
    }
}
