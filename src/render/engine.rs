//! The Tera engines. Files and paths render with [`Engine::pure`]: no clock,
//! randomness or environment, so a render is deterministic. Defaults of
//! variables are computed once at `new` with [`Engine::with_environment`],
//! which adds `now()` and `random_token()`; their results are recorded (or,
//! for secrets, used only in `seed` files), so no later render needs them.

use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera};

/// What `now()` and `random_token()` read, passed in so the core stays pure.
#[derive(Clone)]
pub struct Environment {
    /// The moment `new` started.
    pub now: jiff::Timestamp,
    /// Returns `n` random letters and digits, or why it cannot.
    pub random: Arc<dyn Fn(usize) -> Result<String, String> + Send + Sync>,
}

/// A configured Tera instance.
pub struct Engine {
    /// The instance; render code adds the set's templates to it.
    pub tera: Tera,
}

impl Engine {
    /// Filters only: `slug`, `date`; autoescaping off (these are not HTML pages).
    pub fn pure() -> Engine {
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        tera.register_filter("slug", tera_contrib::slug::slug);
        tera.register_filter("date", date);
        Engine { tera }
    }

    /// [`Engine::pure`] plus `now()` and `random_token(length=N)` over `environment`.
    pub fn with_environment(environment: &Environment) -> Engine {
        let mut engine = Engine::pure();
        let now = environment.now.to_string();
        engine
            .tera
            .register_function("now", move |_: Kwargs, _: &State| now.clone());
        let random = Arc::clone(&environment.random);
        engine
            .tera
            .register_function("random_token", move |kwargs: Kwargs, _: &State| {
                let length = kwargs.get::<usize>("length")?.unwrap_or(32);
                if !(1..=4096).contains(&length) {
                    return Err(tera::Error::message(
                        "random_token: `length` must be 1 to 4096",
                    ));
                }
                random(length).map_err(tera::Error::message)
            });
        engine
    }

    /// Renders a one-off template, e.g. a default such as `{{ project_name | slug }}`.
    pub fn render_str(&self, text: &str, context: &Context) -> Result<String, String> {
        self.render_named("(expression)", text, context)
    }

    /// Renders `text`, a template file's content parsed just for this call;
    /// errors name it `name` (Tera calls a one-off template `__tera_one_off`).
    pub fn render_named(
        &self,
        name: &str,
        text: &str,
        context: &Context,
    ) -> Result<String, String> {
        self.tera
            .render_str(text, context, false)
            .map_err(|e| describe(&e).replace("__tera_one_off", name))
    }

    /// Evaluates a condition such as `backend.use_celery and "e2e" in layers`.
    pub fn is_true(&self, expression: &str, context: &Context) -> Result<bool, String> {
        let text = format!("{{% if {expression} %}}true{{% endif %}}");
        Ok(self.render_str(&text, context)? == "true")
    }
}

/// A Tera error as one readable text: the message, then where (file:line:col
/// and a caret excerpt, which Tera adds for syntax and rendering errors).
pub fn describe(error: &tera::Error) -> String {
    let text = error.to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text).to_owned();
    let mut cause = std::error::Error::source(error);
    let mut out = text;
    while let Some(c) = cause {
        out.push_str(&format!(": {c}"));
        cause = c.source();
    }
    out
}

/// `{{ value | date(format="%Y") }}`: formats an RFC 3339 timestamp (as `now()`
/// returns) or a `YYYY-MM-DD` date, in UTC, with strftime directives.
fn date(value: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let zoned = if let Ok(timestamp) = value.parse::<jiff::Timestamp>() {
        timestamp.to_zoned_datetime(jiff::tz::TimeZone::UTC)
    } else if let Ok(day) = value.parse::<jiff::civil::Date>() {
        day.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_err(|e| tera::Error::message(format!("date: {e}")))?
    } else {
        return Err(tera::Error::message(format!(
            "date: `{value}` is neither an RFC 3339 timestamp nor a YYYY-MM-DD date"
        )));
    };
    jiff::fmt::strtime::format(format, &zoned)
        .map_err(|e| tera::Error::message(format!("date: bad format `{format}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed() -> Environment {
        Environment {
            now: "2026-11-30T04:46:10Z".parse().unwrap(),
            random: Arc::new(|n| Ok("x".repeat(n))),
        }
    }

    #[test]
    fn pure_engine_has_no_clock_or_randomness() {
        let engine = Engine::pure();
        assert!(engine.render_str("{{ now() }}", &Context::new()).is_err());
        assert!(
            engine
                .render_str("{{ random_token() }}", &Context::new())
                .is_err()
        );
        assert!(
            engine
                .render_str("{{ get_env(name='HOME') }}", &Context::new())
                .is_err()
        );
    }

    #[test]
    fn environment_engine_reads_the_given_clock_and_entropy() {
        let engine = Engine::with_environment(&fixed());
        let ctx = Context::new();
        assert_eq!(
            engine
                .render_str("{{ now() | date(format='%Y') }}", &ctx)
                .unwrap(),
            "2026"
        );
        assert_eq!(
            engine
                .render_str("{{ random_token(length=5) }}", &ctx)
                .unwrap(),
            "xxxxx"
        );
    }

    #[test]
    fn slug_and_conditions() {
        let engine = Engine::pure();
        let mut ctx = Context::new();
        ctx.insert("name", "My Project");
        ctx.insert("layers", &["root", "backend"]);
        assert_eq!(
            engine.render_str("{{ name | slug }}", &ctx).unwrap(),
            "my-project"
        );
        assert!(engine.is_true("'backend' in layers", &ctx).unwrap());
        assert!(!engine.is_true("'e2e' in layers", &ctx).unwrap());
    }

    #[test]
    fn no_html_escaping() {
        let mut ctx = Context::new();
        ctx.insert("x", "<a & b>");
        assert_eq!(
            Engine::pure().render_str("{{ x }}", &ctx).unwrap(),
            "<a & b>"
        );
    }

    #[test]
    fn an_undefined_variable_is_an_error() {
        let error = Engine::pure()
            .render_str("{{ nope }}", &Context::new())
            .unwrap_err();
        assert!(error.contains("Variable `nope` is not defined"), "{error}");
    }
}
