//! The `faqbot` binary: parses arguments, calls the library, prints.

use clap::Parser;
use faqbot::cli::{execute, Cli, Command};
use faqbot::{Referral, Reply};

/// jemalloc: an answer makes a few hundred small allocations, many inside tantivy, and it
/// serves them with fewer instructions than the system allocator (BENCHMARKS.md has the figures).
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Run) {
        "info"
    } else {
        "warn"
    };
    faqbot::logging::init(default_level);

    let code = match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            let referral = faqbot::cli::config_for(&cli)
                .map(|c| c.referral())
                .unwrap_or_default();
            eprintln!("{}", error_reply(&e, &referral).to_text());
            1
        }
    };
    std::process::exit(code);
}

fn error_reply(e: &anyhow::Error, referral: &Referral) -> Reply {
    Reply::error(&format!("faqbot: {e:#}"), referral)
}

fn run(cli: &Cli) -> anyhow::Result<i32> {
    if matches!(cli.command, Command::Run) {
        let cfg = faqbot::cli::config_for(cli)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        runtime.block_on(faqbot::discord::run(cfg))?;
        return Ok(0);
    }
    let mut stdout = std::io::stdout().lock();
    execute(cli, &mut stdout)
}
