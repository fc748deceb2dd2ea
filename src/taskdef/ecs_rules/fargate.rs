//! The task sizes Fargate offers: task-level cpu and the memory that goes with it.

use super::broken;

/// The memory values (MiB) Fargate offers with `cpu` units, or `None` for a cpu
/// value it does not offer.
pub fn fargate_memory(cpu: u32) -> Option<Vec<u32>> {
    let gib = |from: u32, to: u32, step: u32| {
        (from..=to)
            .step_by(step as usize)
            .map(|g| g * 1024)
            .collect()
    };
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => gib(1, 4, 1),
        1024 => gib(2, 8, 1),
        2048 => gib(4, 16, 1),
        4096 => gib(8, 30, 1),
        8192 => gib(16, 60, 4),
        16384 => gib(32, 120, 8),
        _ => return None,
    })
}

/// A task-level size: a plain number, or `N {unit}` scaled by 1024 (`0.25 vCPU`
/// is 256 cpu units, `2 GB` is 2048 MiB), the two forms ECS takes.
fn scaled(text: &str, unit: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    match t.strip_suffix(unit) {
        Some(n) => n
            .trim()
            .parse::<f64>()
            .ok()
            .map(|v| (v * 1024.0).round() as u32),
        None => t.parse().ok(),
    }
}

/// Task-level cpu and memory that Fargate offers, or the valid memory values.
pub(super) fn fargate_size(cpu: &str, memory: &str) -> Result<(), String> {
    let offered = "256, 512, 1024, 2048, 4096, 8192 or 16384 (or `1 vCPU` …)";
    let units = scaled(cpu, "vcpu").ok_or_else(|| {
        broken(
            "fargate-size",
            format!("Fargate cpu {cpu:?} is not a number of cpu units: use {offered}"),
        )
    })?;
    let Some(valid) = fargate_memory(units) else {
        return Err(broken(
            "fargate-size",
            format!("Fargate does not offer cpu {cpu:?}: use {offered}"),
        ));
    };
    let mib = scaled(memory, "gb").ok_or_else(|| {
        broken(
            "fargate-size",
            format!("Fargate memory {memory:?} is not a number of MiB"),
        )
    })?;
    if valid.contains(&mib) {
        return Ok(());
    }
    let list: Vec<String> = valid.iter().map(u32::to_string).collect();
    Err(broken(
        "fargate-size",
        format!(
            "Fargate does not offer cpu {cpu} with memory {memory}; with cpu {cpu} memory is one of {} (MiB)",
            list.join(", ")
        ),
    ))
}
