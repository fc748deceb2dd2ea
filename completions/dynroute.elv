
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
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand header 'Print the baggage header that routes a request to a version'
            cand render 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)'
            cand init 'Create dynroute.yaml and a first task definition template'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
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
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
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
            cand --format 'Output format'
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
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
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
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
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
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
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
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand --no-color 'Disable colours (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dynroute;help'= {
            cand header 'Print the baggage header that routes a request to a version'
            cand render 'Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)'
            cand init 'Create dynroute.yaml and a first task definition template'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
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
