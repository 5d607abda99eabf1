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
complete -c 'corerecon' -n '__corerecon_should_offer_completions_for_flags_or_options "corerecon help" version' -l 'version' -d 'Show the version.'
