
use builtin;
use str;

set edit:completion:arg-completer[dynroute] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dynroute'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dynroute'= {
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand up 'Deploy a version of the project''s services beside main'
            cand down 'Remove a version''s services and task definitions'
            cand ls 'List deployed versions'
            cand status 'Show a version''s services, rollouts, events and stopped tasks'
            cand prune 'Remove every expired, non-protected version'
            cand header 'Print the baggage header that routes a request to a version'
            cand render 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)'
            cand init 'Create dynroute.yaml and a first task definition template'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dynroute;up'= {
            cand -s 'Only these services (repeatable) [default: all in the config]'
            cand --service 'Only these services (repeatable) [default: all in the config]'
            cand --image-tag 'Image tag for templates (`{{ image_tag }}`) [default: the version name]'
            cand --set 'Override a service var for templates (repeatable)'
            cand --owner 'Owner recorded in the tags [default: CI actor, git user.email, $USER]'
            cand --ttl 'Expiry from now, e.g. 72h, 3d, never [default: the config''s ttl]'
            cand --timeout 'How long to wait for the rollout (exit code 3 after that)'
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --no-wait 'Return once the services are updated, without waiting for the rollout'
            cand --dry-run 'Show what would be created or updated, change nothing'
            cand --verify 'After the rollout, request each service through the ingress with the baggage header until this version answers [default: on when `ingress` is configured]'
            cand --no-verify 'Skip the check through the ingress'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;down'= {
            cand -s 'Only these services (repeatable) [default: all in the config]'
            cand --service 'Only these services (repeatable) [default: all in the config]'
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --force 'Also remove a protected version (such as main)'
            cand --wait 'Wait until the services are gone'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;ls'= {
            cand --service 'Only versions that run this service'
            cand --owner 'Only versions deployed by this owner'
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --mine 'Only versions deployed by you (CI actor, git user.email or $USER)'
            cand --expired 'Only expired versions'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;status'= {
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;prune'= {
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --dry-run 'Show what would be removed, change nothing'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;header'= {
            cand --format 'What to print'
            cand --merge 'An existing baggage value to add our member to (other members are kept)'
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;render'= {
            cand -s 'Only these services (repeatable) [default: all in the config]'
            cand --service 'Only these services (repeatable) [default: all in the config]'
            cand --image-tag 'Image tag for templates (`{{ image_tag }}`) [default: the version name]'
            cand --set 'Override a service var for templates (repeatable)'
            cand --owner 'Owner recorded in the tags [default: CI actor, git user.email, $USER]'
            cand --ttl 'Expiry from now, e.g. 72h, 3d, never [default: the config''s ttl]'
            cand --format 'Format of the printed task definitions: JSON unless `--format yaml` (`--output`/`--json` only force JSON; `table` does not apply here)'
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;init'= {
            cand --domain 'Domain for default hosts (`{service}.{domain}`)'
            cand --service 'First service name [default: this directory''s name]'
            cand --port 'Container port Traefik routes to'
            cand --image 'Image repository, without tag (the tag is the version or --image-tag)'
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --force 'Overwrite existing files'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;completions'= {
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;man'= {
            cand --config 'Config file [default: dynroute.yaml in this or a parent directory]'
            cand --cluster 'ECS cluster name or ARN, overriding the config'
            cand --region 'AWS region, overriding the config and the AWS config chain'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --json 'Same as `--output json`'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt (also when CI=true or without a terminal)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --verbose 'Show what dynroute reads and writes: config file, AWS target, each change'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;help'= {
            cand up 'Deploy a version of the project''s services beside main'
            cand down 'Remove a version''s services and task definitions'
            cand ls 'List deployed versions'
            cand status 'Show a version''s services, rollouts, events and stopped tasks'
            cand prune 'Remove every expired, non-protected version'
            cand header 'Print the baggage header that routes a request to a version'
            cand render 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)'
            cand init 'Create dynroute.yaml and a first task definition template'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dynroute;help;up'= {
        }
        &'dynroute;help;down'= {
        }
        &'dynroute;help;ls'= {
        }
        &'dynroute;help;status'= {
        }
        &'dynroute;help;prune'= {
        }
        &'dynroute;help;header'= {
        }
        &'dynroute;help;render'= {
        }
        &'dynroute;help;init'= {
        }
        &'dynroute;help;completions'= {
        }
        &'dynroute;help;man'= {
        }
        &'dynroute;help;help'= {
        }
    ]
    $completions[$command]
}
