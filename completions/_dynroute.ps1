
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dynroute' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dynroute'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dynroute' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Deploy a version of the project''s services beside main')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Remove a version''s services and task definitions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List deployed versions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a version''s services, rollouts, events and stopped tasks')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every expired (with --idle also every unused) non-protected version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove the routing table by requests and lint what Traefik loaded')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Push a version''s expiry without redeploying it (tags only)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a one-off task (a migration, a console) from a version''s task definition')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show how the task definitions `up` would register differ from what runs')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a version''s container logs from CloudWatch Logs')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print the baggage header that routes a request to a version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)')
            [CompletionResult]::new('traefik-config', 'traefik-config', [CompletionResultType]::ParameterValue, 'Print the static Traefik configuration for the entry middleware (no AWS call)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create dynroute.yaml and a first task definition template')
            [CompletionResult]::new('iam-policy', 'iam-policy', [CompletionResultType]::ParameterValue, 'Print a least-privilege IAM policy for this project (no AWS call)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the whole setup and name the one fix of each problem')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the catalog of live versions and their ways in over HTTP (read-only)')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Record which versions had requests, from Traefik''s counters (`activity record`)')
            [CompletionResult]::new('labels', 'labels', [CompletionResultType]::ParameterValue, 'Print the Docker labels of a version''s routed container (no AWS call)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dynroute;up' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--image-tag', '--image-tag', [CompletionResultType]::ParameterName, 'Image tag for templates (`{{ image_tag }}`) [default: the version name]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a service var for templates (repeatable)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner recorded in the tags [default: CI actor, git user.email, $USER]')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Expiry from now, e.g. 72h, 3d, never [default: the config''s ttl]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the rollout (exit code 3 after that)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return once the services are updated, without waiting for the rollout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be created or updated, change nothing')
            [CompletionResult]::new('--force-new-deployment', '--force-new-deployment', [CompletionResultType]::ParameterName, 'Replace the running tasks even when nothing changed (by default a service that already runs what `up` would send is left as it is)')
            [CompletionResult]::new('--no-hooks', '--no-hooks', [CompletionResultType]::ParameterName, 'Do not run the `on_create` and `before_up` hooks (said on stderr and in the report)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the rollout, request each service through the ingress with the baggage header until this version answers [default: on when `ingress` is configured]')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip the check through the ingress')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;down' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long `--wait` waits for the services to drain (exit code 3 after that)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also remove a protected version (such as main)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the services are gone')
            [CompletionResult]::new('--all-projects', '--all-projects', [CompletionResultType]::ParameterName, 'Act on every project''s services, not only this project''s')
            [CompletionResult]::new('--no-hooks', '--no-hooks', [CompletionResultType]::ParameterName, 'Do not run the `after_down` hooks (said on stderr and in the report)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;ls' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only versions that run this service')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only versions deployed by this owner')
            [CompletionResult]::new('--pr', '--pr', [CompletionResultType]::ParameterName, 'Only versions deployed for this pull / merge request number')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only versions deployed by you (CI actor, git user.email or $USER)')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Only expired versions')
            [CompletionResult]::new('--all-projects', '--all-projects', [CompletionResultType]::ParameterName, 'Act on every project''s services, not only this project''s')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;prune' {
            [CompletionResult]::new('--idle', '--idle', [CompletionResultType]::ParameterName, 'Also remove versions without a request for DURATION (e.g. 3d), when the activity recorder watched all of it')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--all-projects', '--all-projects', [CompletionResultType]::ParameterName, 'Act on every project''s services, not only this project''s')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed, change nothing')
            [CompletionResult]::new('--no-hooks', '--no-hooks', [CompletionResultType]::ParameterName, 'Do not run the `after_down` hooks (said on stderr and in the report)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;check' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--traefik-api', '--traefik-api', [CompletionResultType]::ParameterName, 'Traefik''s API to lint what it loaded [default: traefik.api_url from the config]')
            [CompletionResult]::new('--traefik-api-token', '--traefik-api-token', [CompletionResultType]::ParameterName, 'A token for Traefik''s API behind the platform kit''s load balancer, sent as `Authorization: Bearer TOKEN` to the API only (prefer the variable)')
            [CompletionResult]::new('--hurl', '--hurl', [CompletionResultType]::ParameterName, 'Write every case as a Hurl file (run it with `hurl --test FILE`)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write JUnit XML: one testcase per case and per lint finding')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each request')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--all-projects', '--all-projects', [CompletionResultType]::ParameterName, 'Also check managed services that this config does not declare (hosts read from Traefik)')
            [CompletionResult]::new('--warn-only', '--warn-only', [CompletionResultType]::ParameterName, 'Report lint findings without failing the check')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;extend' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'New expiry from now, e.g. 72h, 3d, never [default: the config''s ttl]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;run' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service whose task definition runs [default: the only service of the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service whose task definition runs [default: the only service of the config]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'The container whose command is replaced [default: the service''s `container`]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the task may run before dynroute stops it (exit code 3)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--from-main', '--from-main', [CompletionResultType]::ParameterName, 'Run main''s task definition of SERVICE instead (the version is not deployed for it)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Print the task''s ARN and return at once')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;diff' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--image-tag', '--image-tag', [CompletionResultType]::ParameterName, 'Image tag for templates (`{{ image_tag }}`) [default: the version name]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a service var for templates (repeatable)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner recorded in the tags [default: CI actor, git user.email, $USER]')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Expiry from now, e.g. 72h, 3d, never [default: the config''s ttl]')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Compare with this version''s running revision, or main''s (leaving out what names the version: family, routing labels, DYNROUTE_VERSION, dynroute tags)')
            [CompletionResult]::new('--against-file', '--against-file', [CompletionResultType]::ParameterName, 'Compare with a task definition file instead (JSON: `render` output or `aws ecs describe-task-definition` output; one service); no AWS call')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with 1 when there are differences (like `git diff --exit-code`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;logs' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start this long ago (10m, 2h, 1d) or at this time (RFC 3339)')
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'Only this task (its ID, the last part of its ARN; repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep polling for new lines until Ctrl-C')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep polling for new lines until Ctrl-C')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;header' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print [default: header; json with --json]')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'An existing baggage value to add our member to (other members are kept)')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Pin one service to another version (repeatable): adds `dynamic_route.SERVICE=VERSION`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;render' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (repeatable) [default: all in the config]')
            [CompletionResult]::new('--image-tag', '--image-tag', [CompletionResultType]::ParameterName, 'Image tag for templates (`{{ image_tag }}`) [default: the version name]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a service var for templates (repeatable)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner recorded in the tags [default: CI actor, git user.email, $USER]')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Expiry from now, e.g. 72h, 3d, never [default: the config''s ttl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Task definitions print as JSON unless `--format yaml` (which conflicts with `--json` / `-o json`; `-o table` does not apply) [default: json]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;traefik-config' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the static configuration')
            [CompletionResult]::new('--write-plugin', '--write-plugin', [CompletionResultType]::ParameterName, 'Also write the plugin source and the middleware file under DIR (Traefik''s working directory); the printed configuration then points there')
            [CompletionResult]::new('--entrypoint', '--entrypoint', [CompletionResultType]::ParameterName, 'Entrypoint that runs the middleware (repeatable) [default: the config''s traefik.entrypoints, else `web`]')
            [CompletionResult]::new('--refresh-seconds', '--refresh-seconds', [CompletionResultType]::ParameterName, 'How often the ECS provider polls ECS, in seconds (with --cluster-wide)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--cluster-wide', '--cluster-wide', [CompletionResultType]::ParameterName, 'Print the whole static configuration of one Traefik for every project on the cluster (entrypoints, API, ECS provider scoped to --cluster, metrics), as the platform kit runs it')
            [CompletionResult]::new('--dynamic', '--dynamic', [CompletionResultType]::ParameterName, 'Print the dynamic configuration (the middleware definition for the file provider) instead of the static one')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;init' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Domain for default hosts (`{service}.{domain}`)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'First service name [default: this directory''s name]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Container port Traefik routes to')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Image repository, without tag (the tag is the version or --image-tag)')
            [CompletionResult]::new('--from-task-definition', '--from-task-definition', [CompletionResultType]::ParameterName, 'Adopt this task definition as the service''s template: a JSON file (RegisterTaskDefinition input or describe-task-definition output), or a family, family:revision or ARN read live with DescribeTaskDefinition')
            [CompletionResult]::new('--from-service', '--from-service', [CompletionResultType]::ParameterName, 'Adopt the task definition this ECS service runs (in --cluster or the config''s cluster) as the service''s template')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'With --from-task-definition / --from-service: the container requests reach [default: detected]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite existing files')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'With --from-service: record that service as the service''s baseline, the `main` the team already runs (dynroute routes to it and never writes to it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;iam-policy' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Who the policy is for')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'AWS account id for the resource ARNs [default: any account, `*`]')
            [CompletionResult]::new('--role-path', '--role-path', [CompletionResultType]::ParameterName, 'With --cluster-wide: the IAM path of the task roles dynroute may pass')
            [CompletionResult]::new('--log-group-prefix', '--log-group-prefix', [CompletionResultType]::ParameterName, 'With --cluster-wide: the start of the log groups `logs` may read')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--cluster-wide', '--cluster-wide', [CompletionResultType]::ParameterName, 'A policy for every project on the cluster (the platform kit''s CI and prune roles): any `SERVICE--VERSION`, task roles under --role-path, log groups under --log-group-prefix; no dynroute.yaml needed (pass --cluster)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;doctor' {
            [CompletionResult]::new('--traefik-api', '--traefik-api', [CompletionResultType]::ParameterName, 'Traefik''s API [default: traefik.api_url from the config]')
            [CompletionResult]::new('--traefik-api-token', '--traefik-api-token', [CompletionResultType]::ParameterName, 'A token for Traefik''s API behind the platform kit''s load balancer (prefer the variable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Where to listen; a non-loopback address is warned about (the catalog has no login)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'How often the one poller reads the inventory from ECS')
            [CompletionResult]::new('--proof-every', '--proof-every', [CompletionResultType]::ParameterName, 'How often a version''s routing proof is sent again when nothing about it changed')
            [CompletionResult]::new('--cors-origin', '--cors-origin', [CompletionResultType]::ParameterName, 'An origin allowed to read the JSON API from a browser (repeatable; `*` for any)')
            [CompletionResult]::new('--pr-url', '--pr-url', [CompletionResultType]::ParameterName, 'A version''s pull request link, from its `dynroute:repo` and `dynroute:pr` tags')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--all-projects', '--all-projects', [CompletionResultType]::ParameterName, 'List every project''s versions, not only this project''s')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;activity' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Read every Traefik replica''s counters once; record each service''s last request and the heartbeat (for a scheduled job)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dynroute;activity;record' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;activity;help' {
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Read every Traefik replica''s counters once; record each service''s last request and the heartbeat (for a scheduled job)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dynroute;activity;help;record' {
            break
        }
        'dynroute;activity;help;help' {
            break
        }
        'dynroute;labels' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service whose routed container gets the labels')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service whose routed container gets the labels')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print them: JSON (ECS `dockerLabels`, CDK `dockerLabels`), YAML (CloudFormation `DockerLabels`) or HCL (Terraform `docker_labels`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: dynroute.yaml in this or a parent directory]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ECS cluster name or ARN, overriding the config')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, overriding the config and the AWS config chain')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as `--output json`')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (down, prune)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what dynroute reads and writes: config file, AWS target, each change')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Disable colours (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dynroute;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Deploy a version of the project''s services beside main')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Remove a version''s services and task definitions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List deployed versions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a version''s services, rollouts, events and stopped tasks')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every expired (with --idle also every unused) non-protected version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove the routing table by requests and lint what Traefik loaded')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Push a version''s expiry without redeploying it (tags only)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a one-off task (a migration, a console) from a version''s task definition')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show how the task definitions `up` would register differ from what runs')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a version''s container logs from CloudWatch Logs')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print the baggage header that routes a request to a version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)')
            [CompletionResult]::new('traefik-config', 'traefik-config', [CompletionResultType]::ParameterValue, 'Print the static Traefik configuration for the entry middleware (no AWS call)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create dynroute.yaml and a first task definition template')
            [CompletionResult]::new('iam-policy', 'iam-policy', [CompletionResultType]::ParameterValue, 'Print a least-privilege IAM policy for this project (no AWS call)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the whole setup and name the one fix of each problem')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the catalog of live versions and their ways in over HTTP (read-only)')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Record which versions had requests, from Traefik''s counters (`activity record`)')
            [CompletionResult]::new('labels', 'labels', [CompletionResultType]::ParameterValue, 'Print the Docker labels of a version''s routed container (no AWS call)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dynroute;help;up' {
            break
        }
        'dynroute;help;down' {
            break
        }
        'dynroute;help;ls' {
            break
        }
        'dynroute;help;status' {
            break
        }
        'dynroute;help;prune' {
            break
        }
        'dynroute;help;check' {
            break
        }
        'dynroute;help;extend' {
            break
        }
        'dynroute;help;run' {
            break
        }
        'dynroute;help;diff' {
            break
        }
        'dynroute;help;logs' {
            break
        }
        'dynroute;help;header' {
            break
        }
        'dynroute;help;render' {
            break
        }
        'dynroute;help;traefik-config' {
            break
        }
        'dynroute;help;init' {
            break
        }
        'dynroute;help;iam-policy' {
            break
        }
        'dynroute;help;doctor' {
            break
        }
        'dynroute;help;serve' {
            break
        }
        'dynroute;help;activity' {
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Read every Traefik replica''s counters once; record each service''s last request and the heartbeat (for a scheduled job)')
            break
        }
        'dynroute;help;activity;record' {
            break
        }
        'dynroute;help;labels' {
            break
        }
        'dynroute;help;completions' {
            break
        }
        'dynroute;help;man' {
            break
        }
        'dynroute;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
