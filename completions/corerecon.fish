function __corerecon_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __corerecon_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __corerecon_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __corerecon_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __corerecon_parse_tokens -S
    set -l unparsed_tokens (__corerecon_tokens -pc)
    switch $unparsed_tokens[1]
    case 'corerecon'
        __corerecon_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'migrate'
            __corerecon_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'apply'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            case 'status'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            end
        case 'ingest'
            __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'input-format=' 'source=' 'dry-run' 'reject-file=' 'version' 'h/help'
        case 'alert'
            __corerecon_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'status=+' 'severity=' 'source=+' 'since=' 'until=' 'assignee=' 'search=' 'technique=' 'limit=' 'offset=' 'cursor=' 'sort=' 'json=' 'version' 'h/help'
            case 'show'
                __corerecon_parse_subcommand 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            case 'ack'
                __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'where=' 'dry-run' 'as=' 'version' 'h/help'
            case 'assign'
                __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'where=' 'dry-run' 'as=' 'to=' 'version' 'h/help'
            case 'comment'
                __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'where=' 'dry-run' 'as=' 'm/message=' 'version' 'h/help'
            case 'close'
                __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'where=' 'dry-run' 'as=' 'reason=' 'm/message=' 'version' 'h/help'
            case 'reopen'
                __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'where=' 'dry-run' 'as=' 'm/message=' 'version' 'h/help'
            case 'explain'
                __corerecon_parse_subcommand 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            case 'related'
                __corerecon_parse_subcommand 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'limit=' 'version' 'h/help'
            case 'history'
                __corerecon_parse_subcommand 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            case 'map'
                __corerecon_parse_subcommand 2 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'tactic=' 'as=' 'version' 'h/help'
            case 'unmap'
                __corerecon_parse_subcommand 2 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'as=' 'version' 'h/help'
            end
        case 'mitre'
            __corerecon_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'import'
                __corerecon_parse_subcommand -r 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            case 'sync'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'domain=' 'url=' 'version' 'h/help'
            case 'tactics'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'domain=' 'version' 'h/help'
            case 'techniques'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'tactic=' 'platform=' 'search=' 'domain=' 'version' 'h/help'
            case 'show'
                __corerecon_parse_subcommand 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'version' 'h/help'
            case 'coverage'
                __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'from=' 'since=' 'domain=' 'version' 'h/help'
            case 'layer'
                __corerecon_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'export'
                    __corerecon_parse_subcommand 0 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'from=' 'since=' 'domain=' 'o/out=' 'name=' 'version' 'h/help'
                case 'import'
                    __corerecon_parse_subcommand 1 'database-url=' 'config=' 'log-level=' 'format=' 'no-color' 'q/quiet' 'from=' 'since=' 'version' 'h/help'
                end
            end
        case 'help'
            __corerecon_parse_subcommand -r 1 'version'
        end
    end
end

function __corerecon_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __corerecon_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __corerecon_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __corerecon_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__corerecon_tokens -p)
    if test -z "$(__corerecon_tokens -t)"
        set -l index (count (__corerecon_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'corerecon' -f
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon" -eq 1' -fa 'migrate' -d 'Create or upgrade the database schema.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon" -eq 1' -fa 'ingest' -d 'Ingest SIEM alerts from files, directories or stdin.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon" -eq 1' -fa 'alert' -d 'List, inspect and triage alerts.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon" -eq 1' -fa 'mitre' -d 'Look up MITRE ATT&CK, import its data, and measure coverage.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon migrate" -eq 1' -fa 'apply' -d 'Apply pending migrations (the default action of `migrate`).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon migrate" -eq 1' -fa 'status' -d 'List applied and pending migrations, the backend and the database location.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate apply" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon migrate status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon ingest" -ge 1' -F
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" input-format' -l 'input-format' -d 'Record format, or auto to detect per record.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" source' -l 'source' -d 'Label for the feed, stored with each alert (default: the format name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" dry-run' -l 'dry-run' -d 'Print the normalized OCSF records as NDJSON and store nothing.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" reject-file' -l 'reject-file' -d 'Write each rejected record and its reason to this file (NDJSON).' -rF
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon ingest" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'list' -d 'List alerts, most recently seen first.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'show' -d 'Show one alert: a summary, or the full OCSF record with --format json.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'ack' -d 'Acknowledge alerts (new → acknowledged).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'assign' -d 'Assign alerts to an analyst (new or acknowledged alerts move to in_progress).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'comment' -d 'Add a comment to alerts\' history.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'close' -d 'Close alerts with a reason.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'reopen' -d 'Reopen closed alerts (closed → in_progress).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'explain' -d 'Show why records merged into an alert: its fingerprint fields and every occurrence.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'related' -d 'List alerts sharing an observable (IP, host, user, hash, domain, URL, email) within the correlation window.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'history' -d 'Show every change to an alert, with actor and time.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'map' -d 'Map an alert to an ATT&CK technique.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon alert" -eq 1' -fa 'unmap' -d 'Remove an ATT&CK technique from an alert.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list"' -l 'status' -d 'Only alerts in these statuses (new, acknowledged, in_progress, closed; comma-separated).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" severity' -l 'severity' -d 'Only alerts at or above this severity (informational, low, medium, high, critical).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list"' -l 'source' -d 'Only alerts from these sources (the --source label given at ingest).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" since' -l 'since' -d 'Only alerts last seen since this time: 30m, 24h, 7d, or a timestamp.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" until' -l 'until' -d 'Only alerts last seen before this time: 30m, 24h, 7d, or a timestamp.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" assignee' -l 'assignee' -d 'Only alerts assigned to this user (\'none\' for unassigned).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" search' -l 'search' -d 'Full-text search over titles, descriptions and observables.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" technique' -l 'technique' -d 'Only alerts mapped to this ATT&CK technique (T1059 includes its sub-techniques).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" limit' -l 'limit' -d 'Most alerts to print; 0 prints every match.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" offset' -l 'offset' -d 'Skip this many alerts (ignored with --cursor).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" cursor' -l 'cursor' -d 'Continue after the cursor printed by the previous page.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" sort' -l 'sort' -d 'Sort order, descending: last_seen, first_seen, severity, occurrences, id.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" json' -l 'json' -d 'Fields to print, comma-separated (implies JSON).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" where' -l 'where' -d 'Change every alert matching these filters: key=value pairs as in `alert list` (status, severity, source, since, until, assignee, search, technique).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" dry-run' -l 'dry-run' -d 'Say what would change, and change nothing.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert ack" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" where' -l 'where' -d 'Change every alert matching these filters: key=value pairs as in `alert list` (status, severity, source, since, until, assignee, search, technique).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" dry-run' -l 'dry-run' -d 'Say what would change, and change nothing.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" to' -l 'to' -d 'The analyst to assign.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert assign" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" where' -l 'where' -d 'Change every alert matching these filters: key=value pairs as in `alert list` (status, severity, source, since, until, assignee, search, technique).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" dry-run' -l 'dry-run' -d 'Say what would change, and change nothing.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" m message' -s 'm' -l 'message' -d 'The comment.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert comment" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" where' -l 'where' -d 'Change every alert matching these filters: key=value pairs as in `alert list` (status, severity, source, since, until, assignee, search, technique).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" dry-run' -l 'dry-run' -d 'Say what would change, and change nothing.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" reason' -l 'reason' -d 'Why: false_positive, true_positive, benign_positive, duplicate or other.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" m message' -s 'm' -l 'message' -d 'A note kept with the closing.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert close" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" where' -l 'where' -d 'Change every alert matching these filters: key=value pairs as in `alert list` (status, severity, source, since, until, assignee, search, technique).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" dry-run' -l 'dry-run' -d 'Say what would change, and change nothing.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" m message' -s 'm' -l 'message' -d 'Why it is reopened.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert reopen" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert explain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" limit' -l 'limit' -d 'Most related alerts to list.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert related" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" tactic' -l 'tactic' -d 'The tactic: id (TA0002), short name or name.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert map" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" as' -l 'as' -d 'Act as this user (default: CORERECON_USER, else the login name).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon alert unmap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'import' -d 'Import ATT&CK STIX bundles: Enterprise, Mobile or ICS, STIX 2.0 or 2.1.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'sync' -d 'Download the latest ATT&CK bundle of a domain from MITRE and import it.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'tactics' -d 'List the tactics in matrix order.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'techniques' -d 'List active techniques and sub-techniques, optionally by tactic, platform or words.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'show' -d 'Show a technique: tactics, platforms, mitigations, and the groups, campaigns and software using it.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'coverage' -d 'Show which ATT&CK techniques alerts or incidents carried, per tactic.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre" -eq 1' -fa 'layer' -d 'Export coverage as an ATT&CK Navigator layer, or compare a layer with coverage.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre import" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" domain' -l 'domain' -d 'The domain: enterprise, mobile or ics.' -rfka 'enterprise mobile ics'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" url' -l 'url' -d 'Download from this URL instead.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" domain' -l 'domain' -d 'Only this domain: enterprise, mobile or ics (default: every imported one).' -rfka 'enterprise mobile ics'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre tactics" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" tactic' -l 'tactic' -d 'Only techniques of this tactic: id (TA0002), short name or name.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" platform' -l 'platform' -d 'Only techniques for this platform (Windows, Linux, macOS, ...).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" search' -l 'search' -d 'Only techniques whose id or name contains every word.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" domain' -l 'domain' -d 'Only this domain: enterprise, mobile or ics (default: every imported one).' -rfka 'enterprise mobile ics'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre techniques" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" from' -l 'from' -d 'Count techniques of alerts or incidents.' -rfka 'alerts incidents'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" since' -l 'since' -d 'Only alerts last seen (incidents created) since this time: 24h, 30d, 2w, or a timestamp.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" domain' -l 'domain' -d 'Only this domain\'s tactics: enterprise, mobile or ics (default: every imported one).' -rfka 'enterprise mobile ics'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre coverage" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre layer" -eq 1' -fa 'export' -d 'Write coverage as an ATT&CK Navigator layer (layer format 4.5).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre layer" -eq 1' -fa 'import' -d 'Compare an ATT&CK Navigator layer (format 3.0 to 4.5) with coverage.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" from' -l 'from' -d 'Count techniques of alerts or incidents.' -rfka 'alerts incidents'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" since' -l 'since' -d 'Only alerts last seen (incidents created) since this time: 24h, 30d, 2w, or a timestamp.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" domain' -l 'domain' -d 'The layer\'s domain: enterprise, mobile or ics.' -rfka 'enterprise mobile ics'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" o out' -l 'out' -s 'o' -d 'The file to write, `-` for stdout.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" name' -l 'name' -d 'The layer\'s name.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" database-url' -l 'database-url' -d 'Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" config' -l 'config' -d 'Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" log-level' -l 'log-level' -d 'Log level for messages on stderr (env: CORERECON_LOG_LEVEL).' -rfka 'trace debug info notice warning error critical'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" format' -l 'format' -d 'Output format: table for people; json, ndjson or csv for pipelines.' -rfka 'table json ndjson csv'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" no-color' -l 'no-color' -d 'Do not color the output (also when NO_COLOR is set).'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" q quiet' -s 'q' -l 'quiet' -d 'Print only results and errors: no summaries or notices.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" from' -l 'from' -d 'Count techniques of alerts or incidents.' -rfka 'alerts incidents'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" since' -l 'since' -d 'Only alerts last seen (incidents created) since this time: 24h, 30d, 2w, or a timestamp.' -rfka ''
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_positional "corerecon mitre layer import" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" version' -l 'version' -d 'Show the version.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon mitre layer import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon help" version' -l 'version' -d 'Show the version.'
