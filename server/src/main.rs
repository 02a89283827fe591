use clap::Parser;
use server::cli::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    server::cli::init_tracing();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::cli::serve().await,
        Command::Demo(args) => server::cli::demo(args).await,
        Command::Invite(args) => server::cli::invite(args).await,
        Command::Admin(command) => server::cli::admin(command).await,
        Command::Export(args) => server::cli::export(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Fehler: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
