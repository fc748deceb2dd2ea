# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dynroute_global_optspecs
    string join \n config= cluster= region= profile= o/output= json no-summary y/yes no-input q/quiet v/verbose no-color poll-interval= h/help V/version
end

function __fish_dynroute_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dynroute_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dynroute_using_subcommand
    set -l cmd (__fish_dynroute_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dynroute -n "__fish_dynroute_needs_command" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_needs_command" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_needs_command" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_needs_command" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_needs_command" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_needs_command" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_needs_command" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_needs_command" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_needs_command" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_needs_command" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_needs_command" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_needs_command" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_needs_command" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "up" -d 'Deploy a version of the project\'s services beside main'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "down" -d 'Remove a version\'s services and task definitions'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "ls" -d 'List deployed versions'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "status" -d 'Show a version\'s services, rollouts, events and stopped tasks'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "prune" -d 'Remove every expired (with --idle also every unused) non-protected version'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "check" -d 'Prove the routing table by requests and lint what Traefik loaded'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "extend" -d 'Push a version\'s expiry without redeploying it (tags only)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "run" -d 'Run a one-off task (a migration, a console) from a version\'s task definition'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "diff" -d 'Show how the task definitions `up` would register differ from what runs'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "logs" -d 'Show a version\'s container logs from CloudWatch Logs'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "header" -d 'Print the baggage header that routes a request to a version'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "render" -d 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "traefik-config" -d 'Print the static Traefik configuration for the entry middleware (no AWS call)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "init" -d 'Create dynroute.yaml and a first task definition template'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "iam-policy" -d 'Print a least-privilege IAM policy for this project (no AWS call)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "doctor" -d 'Check the whole setup and name the one fix of each problem'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "serve" -d 'Serve the catalog of live versions and their ways in over HTTP (read-only)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "activity" -d 'Record which versions had requests, from Traefik\'s counters (`activity record`)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "labels" -d 'Print the Docker labels of a version\'s routed container (no AWS call)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c dynroute -n "__fish_dynroute_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s s -l service -d 'Only these services (repeatable) [default: all in the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l image-tag -d 'Image tag for templates (`{{ image_tag }}`) [default: the version name]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l set -d 'Override a service var for templates (repeatable)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l owner -d 'Owner recorded in the tags [default: CI actor, git user.email, $USER]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l ttl -d 'Expiry from now, e.g. 72h, 3d, never [default: the config\'s ttl]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l timeout -d 'How long to wait for the rollout (exit code 3 after that)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l no-wait -d 'Return once the services are updated, without waiting for the rollout'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l dry-run -d 'Show what would be created or updated, change nothing'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l force-new-deployment -d 'Replace the running tasks even when nothing changed (by default a service that already runs what `up` would send is left as it is)'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l no-hooks -d 'Do not run the `on_create` and `before_up` hooks (said on stderr and in the report)'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l verify -d 'After the rollout, request each service through the ingress with the baggage header until this version answers [default: on when `ingress` is configured]'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l no-verify -d 'Skip the check through the ingress'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand up" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s s -l service -d 'Only these services (repeatable) [default: all in the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l timeout -d 'How long `--wait` waits for the services to drain (exit code 3 after that)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l force -d 'Also remove a protected version (such as main)'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l wait -d 'Wait until the services are gone'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l all-projects -d 'Act on every project\'s services, not only this project\'s'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l no-hooks -d 'Do not run the `after_down` hooks (said on stderr and in the report)'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand down" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l service -d 'Only versions that run this service' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l owner -d 'Only versions deployed by this owner' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l pr -d 'Only versions deployed for this pull / merge request number' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l mine -d 'Only versions deployed by you (CI actor, git user.email or $USER)'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l expired -d 'Only expired versions'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l all-projects -d 'Act on every project\'s services, not only this project\'s'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand ls" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand status" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l idle -d 'Also remove versions without a request for DURATION (e.g. 3d), when the activity recorder watched all of it' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l all-projects -d 'Act on every project\'s services, not only this project\'s'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l dry-run -d 'Show what would be removed, change nothing'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l no-hooks -d 'Do not run the `after_down` hooks (said on stderr and in the report)'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand prune" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s s -l service -d 'Only these services (repeatable) [default: all in the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l traefik-api -d 'Traefik\'s API to lint what it loaded [default: traefik.api_url from the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l traefik-api-token -d 'A token for Traefik\'s API behind the platform kit\'s load balancer, sent as `Authorization: Bearer TOKEN` to the API only (prefer the variable)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l hurl -d 'Write every case as a Hurl file (run it with `hurl --test FILE`)' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l junit -d 'Write JUnit XML: one testcase per case and per lint finding' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l concurrency -d 'Requests in flight at once' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l timeout -d 'Timeout of each request' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l all-projects -d 'Also check managed services that this config does not declare (hosts read from Traefik)'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l warn-only -d 'Report lint findings without failing the check'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand check" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l ttl -d 'New expiry from now, e.g. 72h, 3d, never [default: the config\'s ttl]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand extend" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s s -l service -d 'The service whose task definition runs [default: the only service of the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l container -d 'The container whose command is replaced [default: the service\'s `container`]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l timeout -d 'How long the task may run before dynroute stops it (exit code 3)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l from-main -d 'Run main\'s task definition of SERVICE instead (the version is not deployed for it)'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l detach -d 'Print the task\'s ARN and return at once'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand run" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s s -l service -d 'Only these services (repeatable) [default: all in the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l image-tag -d 'Image tag for templates (`{{ image_tag }}`) [default: the version name]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l set -d 'Override a service var for templates (repeatable)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l owner -d 'Owner recorded in the tags [default: CI actor, git user.email, $USER]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l ttl -d 'Expiry from now, e.g. 72h, 3d, never [default: the config\'s ttl]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l against -d 'Compare with this version\'s running revision, or main\'s (leaving out what names the version: family, routing labels, DYNROUTE_VERSION, dynroute tags)' -r -f -a "deployed\t'The revision this version\'s service runs'
main\t'The revision the main version\'s service runs'"
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l against-file -d 'Compare with a task definition file instead (JSON: `render` output or `aws ecs describe-task-definition` output; one service); no AWS call' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l exit-code -d 'Exit with 1 when there are differences (like `git diff --exit-code`)'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand diff" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s s -l service -d 'Only these services (repeatable) [default: all in the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l since -d 'Start this long ago (10m, 2h, 1d) or at this time (RFC 3339)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l task -d 'Only this task (its ID, the last part of its ARN; repeatable)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s f -l follow -d 'Keep polling for new lines until Ctrl-C'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand logs" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l format -d 'What to print [default: header; json with --json]' -r -f -a "header\t'`baggage: dynamic_route=VERSION`'
value\t'`dynamic_route=VERSION`'
curl\t'A ready curl command per service'
json\t'A JSON object'
host\t'The version host of each service: `{service}--VERSION.{domain}`'
link\t'The link that sets the browser cookie, per service host'
cookie\t'`Cookie: dynamic_route=VERSION`'"
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l merge -d 'An existing baggage value to add our member to (other members are kept)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l pin -d 'Pin one service to another version (repeatable): adds `dynamic_route.SERVICE=VERSION`' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand header" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s s -l service -d 'Only these services (repeatable) [default: all in the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l image-tag -d 'Image tag for templates (`{{ image_tag }}`) [default: the version name]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l set -d 'Override a service var for templates (repeatable)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l owner -d 'Owner recorded in the tags [default: CI actor, git user.email, $USER]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l ttl -d 'Expiry from now, e.g. 72h, 3d, never [default: the config\'s ttl]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l format -d 'Task definitions print as JSON unless `--format yaml` (which conflicts with `--json` / `-o json`; `-o table` does not apply) [default: json]' -r -f -a "json\t''
yaml\t''"
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand render" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l format -d 'How to print the static configuration' -r -f -a "yaml\t''
toml\t''
flags\t'One Traefik command-line argument per line'"
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l write-plugin -d 'Also write the plugin source and the middleware file under DIR (Traefik\'s working directory); the printed configuration then points there' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l entrypoint -d 'Entrypoint that runs the middleware (repeatable) [default: the config\'s traefik.entrypoints, else `web`]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l refresh-seconds -d 'How often the ECS provider polls ECS, in seconds (with --cluster-wide)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l cluster-wide -d 'Print the whole static configuration of one Traefik for every project on the cluster (entrypoints, API, ECS provider scoped to --cluster, metrics), as the platform kit runs it'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l dynamic -d 'Print the dynamic configuration (the middleware definition for the file provider) instead of the static one'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand traefik-config" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l domain -d 'Domain for default hosts (`{service}.{domain}`)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l service -d 'First service name [default: this directory\'s name]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l port -d 'Container port Traefik routes to' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l image -d 'Image repository, without tag (the tag is the version or --image-tag)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l from-task-definition -d 'Adopt this task definition as the service\'s template: a JSON file (RegisterTaskDefinition input or describe-task-definition output), or a family, family:revision or ARN read live with DescribeTaskDefinition' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l from-service -d 'Adopt the task definition this ECS service runs (in --cluster or the config\'s cluster) as the service\'s template' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l container -d 'With --from-task-definition / --from-service: the container requests reach [default: detected]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l force -d 'Overwrite existing files'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l baseline -d 'With --from-service: record that service as the service\'s baseline, the `main` the team already runs (dynroute routes to it and never writes to it)'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand init" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l for -d 'Who the policy is for' -r -f -a "deploy\t'Engineers and CI jobs: `up`, `down`, `extend`, `run`, and everything `read` allows'
read\t'Read-only: `ls`, `status`, `diff`, `logs`, `header --format curl`'
prune\t'The scheduled clean-up job: `prune` (and the `after_down` hooks it runs)'
traefik\t'Traefik\'s task role: what its ECS provider reads (Traefik\'s documented set)'
catalog\t'The catalog\'s task role (`dynroute serve`): reads the inventory, nothing else'"
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l account -d 'AWS account id for the resource ARNs [default: any account, `*`]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l role-path -d 'With --cluster-wide: the IAM path of the task roles dynroute may pass' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l log-group-prefix -d 'With --cluster-wide: the start of the log groups `logs` may read' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l cluster-wide -d 'A policy for every project on the cluster (the platform kit\'s CI and prune roles): any `SERVICE--VERSION`, task roles under --role-path, log groups under --log-group-prefix; no dynroute.yaml needed (pass --cluster)'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand iam-policy" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l traefik-api -d 'Traefik\'s API [default: traefik.api_url from the config]' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l traefik-api-token -d 'A token for Traefik\'s API behind the platform kit\'s load balancer (prefer the variable)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l listen -d 'Where to listen; a non-loopback address is warned about (the catalog has no login)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l refresh -d 'How often the one poller reads the inventory from ECS' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l proof-every -d 'How often a version\'s routing proof is sent again when nothing about it changed' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l cors-origin -d 'An origin allowed to read the JSON API from a browser (repeatable; `*` for any)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l pr-url -d 'A version\'s pull request link, from its `dynroute:repo` and `dynroute:pr` tags' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l all-projects -d 'List every project\'s versions, not only this project\'s'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand serve" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -f -a "record" -d 'Read every Traefik replica\'s counters once; record each service\'s last request and the heartbeat (for a scheduled job)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and not __fish_seen_subcommand_from record help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from record" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from help" -f -a "record" -d 'Read every Traefik replica\'s counters once; record each service\'s last request and the heartbeat (for a scheduled job)'
complete -c dynroute -n "__fish_dynroute_using_subcommand activity; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s s -l service -d 'The service whose routed container gets the labels' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l format -d 'How to print them: JSON (ECS `dockerLabels`, CDK `dockerLabels`), YAML (CloudFormation `DockerLabels`) or HCL (Terraform `docker_labels`)' -r -f -a "json\t''
yaml\t''
hcl\t''"
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand labels" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand completions" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l config -d 'Config file [default: dynroute.yaml in this or a parent directory]' -r -F
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l cluster -d 'ECS cluster name or ARN, overriding the config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l region -d 'AWS region, overriding the config and the AWS config chain' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -s o -l output -d 'Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)' -r -f -a "table\t''
wide\t'The table with every column (ls)'
json\t''
markdown\t'A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)'"
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l poll-interval -d 'How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)' -r
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l json -d 'Same as `--output json`'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l no-summary -d 'Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (down, prune)'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l no-input -d 'Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -s q -l quiet -d 'Print only results and errors'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -s v -l verbose -d 'Show what dynroute reads and writes: config file, AWS target, each change'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -l no-color -d 'Disable colours (also NO_COLOR)'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dynroute -n "__fish_dynroute_using_subcommand man" -s V -l version -d 'Print version'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "up" -d 'Deploy a version of the project\'s services beside main'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "down" -d 'Remove a version\'s services and task definitions'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "ls" -d 'List deployed versions'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "status" -d 'Show a version\'s services, rollouts, events and stopped tasks'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "prune" -d 'Remove every expired (with --idle also every unused) non-protected version'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "check" -d 'Prove the routing table by requests and lint what Traefik loaded'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "extend" -d 'Push a version\'s expiry without redeploying it (tags only)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "run" -d 'Run a one-off task (a migration, a console) from a version\'s task definition'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "diff" -d 'Show how the task definitions `up` would register differ from what runs'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "logs" -d 'Show a version\'s container logs from CloudWatch Logs'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "header" -d 'Print the baggage header that routes a request to a version'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "render" -d 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "traefik-config" -d 'Print the static Traefik configuration for the entry middleware (no AWS call)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "init" -d 'Create dynroute.yaml and a first task definition template'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "iam-policy" -d 'Print a least-privilege IAM policy for this project (no AWS call)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "doctor" -d 'Check the whole setup and name the one fix of each problem'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "serve" -d 'Serve the catalog of live versions and their ways in over HTTP (read-only)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "activity" -d 'Record which versions had requests, from Traefik\'s counters (`activity record`)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "labels" -d 'Print the Docker labels of a version\'s routed container (no AWS call)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "completions" -d 'Print shell completions'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and not __fish_seen_subcommand_from up down ls status prune check extend run diff logs header render traefik-config init iam-policy doctor serve activity labels completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dynroute -n "__fish_dynroute_using_subcommand help; and __fish_seen_subcommand_from activity" -f -a "record" -d 'Read every Traefik replica\'s counters once; record each service\'s last request and the heartbeat (for a scheduled job)'
