//! Rendering a template file's path: Tera in any segment; a segment that
//! renders empty drops the file.

/// Renders each `/`-separated segment of `path` that holds Tera with
/// `segment` (which may cache: paths repeat their folders). `Ok(None)` when a
/// segment renders empty (the file is dropped). A rendered segment may not
/// contain `/`: an answer must not add folders, or climb out with `../`.
pub fn render(
    path: &str,
    segment: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Option<String>, String> {
    let mut out = Vec::new();
    for written in path.split('/').filter(|s| !s.is_empty()) {
        let rendered = if crate::manifest::holds_tera(written) {
            segment(written)?
        } else {
            written.to_owned()
        };
        if rendered.is_empty() {
            return Ok(None);
        }
        if rendered.contains('/') {
            return Err(format!(
                "the path segment `{written}` renders to `{rendered}`, which contains `/`"
            ));
        }
        out.push(rendered);
    }
    Ok(Some(out.join("/")))
}
