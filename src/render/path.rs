//! Rendering a template file's path: Tera in any segment; a segment that
//! renders empty drops the file.

use super::engine::Engine;

/// Renders each `/`-separated segment of `path` that holds Tera. `Ok(None)`
/// when a segment renders empty (the file is dropped). A rendered segment may
/// not contain `/`: an answer must not add folders, or climb out with `../`.
pub fn render(
    path: &str,
    engine: &Engine,
    context: &tera::Context,
) -> Result<Option<String>, String> {
    let mut out = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let rendered = if crate::manifest::holds_tera(segment) {
            engine.render_str(segment, context)?
        } else {
            segment.to_owned()
        };
        if rendered.is_empty() {
            return Ok(None);
        }
        if rendered.contains('/') {
            return Err(format!(
                "the path segment `{segment}` renders to `{rendered}`, which contains `/`"
            ));
        }
        out.push(rendered);
    }
    Ok(Some(out.join("/")))
}
