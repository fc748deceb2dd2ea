//! The one integration test binary: the CLI as users run it.

mod harness;
mod http;
mod stack;
mod strict;
mod webdriver;

mod action;
mod architecture;
mod bad_input;
mod baseline;
mod book;
mod browser;
mod check;
mod completions;
mod consistency;
mod day_two;
mod demo;
mod diff_logs;
mod entry_middleware;
mod faults;
mod first_contact;
mod header;
mod hostile;
mod hostile_files;
mod iam;
mod init;
mod init_live;
mod lifecycle;
mod otel_chain;
mod projects;
mod render;
mod routing;
mod tls_roots;
mod traefik_config;
mod ways_in;
mod ways_in_cli;
