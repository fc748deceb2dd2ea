//! Writing files so that nothing is half-written and nothing lands outside the
//! project: every target is checked first ([`check_target`]: a regular file or
//! nothing yet, and a path inside the project stays inside it once its symlinks
//! are resolved), then written whole to a temporary file beside it and renamed
//! over it ([`write_atomic`]). Files CI owns and expects appended to
//! (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`) are checked the same way, then
//! appended to ([`append`]).

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::error::UserError;

/// Where `path` really writes, once its symlinks are resolved: refused when it
/// is not a regular file (a pipe, device, socket or directory), when its folder
/// does not exist, or when a path inside `root` resolves outside it.
pub fn check_target(path: &Path, root: &Path, what: &str) -> Result<PathBuf, UserError> {
    let shown = path.display();
    let absolute = match path.is_absolute() {
        true => path.to_path_buf(),
        false => root.join(path),
    };
    let parent = absolute.parent().unwrap_or(root);
    let Ok(real_parent) = parent.canonicalize() else {
        return Err(UserError::usage(format!(
            "cannot write {what} {shown}: its folder {} does not exist",
            parent.display()
        )));
    };
    let name = absolute.file_name().ok_or_else(|| {
        UserError::usage(format!("cannot write {what} {shown}: it names no file"))
    })?;
    let mut real = real_parent.join(name);
    // A symlink (even a dangling one) is followed to where it points.
    for _ in 0..40 {
        let Ok(link) = std::fs::read_link(&real) else {
            break;
        };
        let target = real.parent().unwrap_or(Path::new("/")).join(link);
        real = match (target.parent().map(Path::canonicalize), target.file_name()) {
            (Some(Ok(dir)), Some(name)) => dir.join(name),
            _ => target,
        };
    }
    if let Ok(meta) = std::fs::metadata(&real)
        && !meta.is_file()
    {
        return Err(UserError::usage(format!(
            "cannot write {what} {shown}: it is not a regular file (a directory, pipe, socket or device)"
        ))
        .hint("name a regular file, or a path that does not exist yet"));
    }
    // A file nobody may write is kept, also for root (who could, and whose
    // rename would replace it anyway).
    if let Ok(meta) = std::fs::metadata(&real)
        && meta.permissions().readonly()
    {
        return Err(
            UserError::usage(format!("cannot write {what} {shown}: it is read-only"))
                .hint("make it writable (chmod u+w) or name another file"),
        );
    }
    // Writable now, not only after the AWS calls: the file (opened, not
    // changed) or, for a new one, its folder (a nameless temporary file).
    let writable = match real.exists() {
        true => std::fs::OpenOptions::new()
            .append(true)
            .open(&real)
            .map(drop),
        false => tempfile::tempfile_in(real.parent().unwrap_or(&real_parent)).map(drop),
    };
    if let Err(err) = writable {
        return Err(
            UserError::usage(format!("cannot write {what} {shown}: {err}"))
                .hint("name a file dynroute may write"),
        );
    }
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if lexically_inside(&absolute, root) && !real.starts_with(&real_root) {
        return Err(UserError::usage(format!(
            "cannot write {what} {shown}: a symlink takes it out of the project, to {}",
            real.display()
        ))
        .hint("remove the symlink, or name the file outside the project directly"));
    }
    Ok(real)
}

/// Whether `path`, read as written (`..` resolved, symlinks not), is in `root`.
fn lexically_inside(path: &Path, root: &Path) -> bool {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out.starts_with(root)
}

/// Writes `bytes` to the checked target `real` (from [`check_target`]): a
/// temporary file in the same folder, synced, then renamed over it.
pub fn write_atomic(real: &Path, bytes: &[u8], what: &str) -> Result<(), UserError> {
    let failed = |err: std::io::Error| {
        UserError::new(
            crate::error::ExitKind::Failure,
            format!("cannot write {what} {}: {err}", real.display()),
        )
    };
    let dir = real.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".dynroute-")
        .tempfile_in(dir)
        .map_err(failed)?;
    temp.write_all(bytes).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    if let Ok(meta) = std::fs::metadata(real) {
        let _ = std::fs::set_permissions(temp.path(), meta.permissions());
    }
    temp.persist(real).map_err(|e| failed(e.error))?;
    Ok(())
}

/// Appends `text` to a file CI owns (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`):
/// only a regular file or a path that does not exist yet, never a pipe or device.
pub fn append(path: &Path, text: &str) -> std::io::Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(std::io::Error::other(
            "it is not a regular file (a directory, pipe, socket or device)",
        ));
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_regular_files_inside_the_project() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let r = root.path();
        // A new file, and an existing one.
        assert!(check_target(Path::new("a.yaml"), r, "file").is_ok());
        std::fs::write(r.join("b.yaml"), "x").unwrap();
        let real = check_target(Path::new("b.yaml"), r, "file").unwrap();
        write_atomic(&real, b"y", "file").unwrap();
        assert_eq!(std::fs::read_to_string(r.join("b.yaml")).unwrap(), "y");
        // A folder that does not exist, a directory, a pipe, a device.
        assert!(check_target(Path::new("no/such.yaml"), r, "file").is_err());
        std::fs::create_dir(r.join("d")).unwrap();
        assert!(check_target(Path::new("d"), r, "file").is_err());
        let err = check_target(Path::new("/dev/full"), r, "file").unwrap_err();
        assert!(
            err.message.contains("not a regular file"),
            "{}",
            err.message
        );
        let fifo = r.join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(check_target(&fifo, r, "file").is_err());
        // A symlink (of the file, or of its folder) out of the project.
        std::os::unix::fs::symlink(outside.path().join("x.yaml"), r.join("link.yaml")).unwrap();
        let err = check_target(Path::new("link.yaml"), r, "file").unwrap_err();
        assert!(
            err.message.contains("out of the project"),
            "{}",
            err.message
        );
        std::os::unix::fs::symlink(outside.path(), r.join("templates")).unwrap();
        assert!(check_target(Path::new("templates/api.yaml"), r, "file").is_err());
        // A folder nobody may create files in (not even root: /proc) is refused
        // now, not after the work.
        let err = check_target(Path::new("/proc/new.hurl"), r, "file").unwrap_err();
        assert!(
            err.message
                .starts_with("cannot write file /proc/new.hurl: "),
            "{}",
            err.message
        );
        // A read-only file is kept, even when root could write it.
        std::fs::write(r.join("ro.hurl"), "kept").unwrap();
        let mut perms = std::fs::metadata(r.join("ro.hurl")).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(r.join("ro.hurl"), perms).unwrap();
        let err = check_target(Path::new("ro.hurl"), r, "file").unwrap_err();
        assert_eq!(err.message, "cannot write file ro.hurl: it is read-only");
        // A path named outside the project is the user's choice.
        assert!(check_target(&outside.path().join("out.hurl"), r, "file").is_ok());
        // Nothing was written outside.
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        // Appending refuses pipes and devices too.
        assert!(append(&fifo, "a=1\n").is_err());
        append(&r.join("out"), "a=1\n").unwrap();
        append(&r.join("out"), "b=2\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(r.join("out")).unwrap(),
            "a=1\nb=2\n"
        );
    }
}
