//! `iam-policy`'s report: the policy document itself, as JSON in both formats
//! (it is meant to be pasted or piped into `aws iam create-policy`).

use std::fmt;

use serde::Serialize;

use super::Report;

/// The policy document.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct IamPolicyReport {
    pub policy: serde_json::Value,
}

impl Report for IamPolicyReport {}

impl fmt::Display for IamPolicyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string_pretty(&self.policy).map_err(|_| fmt::Error)?;
        writeln!(f, "{text}")
    }
}
