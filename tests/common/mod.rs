//! Helpers shared by the command-line tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root (where the shipped `faq/` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped FAQ folder.
pub fn shipped_faq() -> PathBuf {
    root().join("faq")
}

/// A `faqbot` command with no config file, run in `cwd`.
pub fn faqbot(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    c.current_dir(cwd)
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG");
    c
}

/// Runs a command with optional stdin and returns its output.
pub fn run(mut cmd: Command, stdin: Option<&str>) -> Output {
    use std::io::Write;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("faqbot starts");
    if let Some(mut pipe) = child.stdin.take() {
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).expect("stdin written");
        }
    }
    child.wait_with_output().expect("faqbot finishes")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies the shipped FAQ into a fresh folder and returns (tempdir guard, faq dir).
pub fn copy_of_shipped_faq() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("faq");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for item in std::fs::read_dir(shipped_faq()).expect("faq/ readable") {
        let item = item.expect("entry");
        std::fs::copy(item.path(), dir.join(item.file_name())).expect("copy");
    }
    (tmp, dir)
}

/// The default referral text (what every reply must end with).
pub fn referral() -> &'static str {
    faqbot::answer::DEFAULT_REFERRAL
}
