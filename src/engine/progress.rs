//! Where the engine reports what it is doing while it works.
//!
//! The engine never prints: it tells a [`Progress`] sink. The terminal sink
//! (`ui::progress`) draws spinners or plain lines; tests use [`Recorder`].

/// Receives one status line per ECS service, plus messages for the person watching.
pub trait Progress {
    /// The current state of one service (shown until it changes).
    fn update(&mut self, name: &str, line: &str);
    /// The final state of one service.
    fn finish(&mut self, name: &str, line: &str);
    /// Stops every line where it is (a failure or a timeout ends the wait).
    fn stop(&mut self);
    /// A message worth showing (hidden with `-q`).
    fn info(&mut self, message: &str);
    /// What dynroute reads and writes (shown with `-v`).
    fn detail(&mut self, message: &str);
    /// Something that went wrong without failing the command (shown even with `-q`).
    fn warn(&mut self, message: &str);
    /// A phase of `up` ended (for its `timings`); most sinks ignore it.
    fn phase_ended(&mut self, _mark: Mark) {}
}

/// A sink that drops everything.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn update(&mut self, _: &str, _: &str) {}
    fn finish(&mut self, _: &str, _: &str) {}
    fn stop(&mut self) {}
    fn info(&mut self, _: &str) {}
    fn detail(&mut self, _: &str) {}
    fn warn(&mut self, _: &str) {}
}

/// A sink that keeps every line, for tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Recorder {
    pub lines: Vec<String>,
}

#[cfg(test)]
impl Progress for Recorder {
    fn update(&mut self, name: &str, line: &str) {
        self.lines.push(format!("{name}: {line}"));
    }
    fn finish(&mut self, name: &str, line: &str) {
        self.lines.push(format!("{name}: {line} (done)"));
    }
    fn stop(&mut self) {
        self.lines.push("stop".into());
    }
    fn info(&mut self, message: &str) {
        self.lines.push(format!("info: {message}"));
    }
    fn detail(&mut self, message: &str) {
        self.lines.push(format!("detail: {message}"));
    }
    fn warn(&mut self, message: &str) {
        self.lines.push(format!("warning: {message}"));
    }
}

/// Which phase of `up` ended (`engine::timings` notes when).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Validated,
    Planned,
    Registered,
    /// The `on_create` / `before_up` hooks ran (only when some did).
    Hooked,
    Applied,
    FirstRunning,
    Steady,
    Routable,
}
