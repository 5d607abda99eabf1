#!/bin/bash

__corerecon_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__corerecon_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__corerecon_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__corerecon_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_corerecon() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    migrate|backup|restore|ingest|alert|incident|ioc|mitre|sla|notify|playbook|serve|user|token|audit|login|logout|context|status|help)
        # Offer subcommand argument completions
        "_corerecon_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'migrate backup restore ingest alert incident ioc mitre sla notify playbook serve user token audit login logout context status help' -- "${cur}"))
        ;;
    esac
}

_corerecon_migrate() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    apply|status)
        # Offer subcommand argument completions
        "_corerecon_migrate_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'apply status' -- "${cur}"))
        ;;
    esac
}

_corerecon_migrate_apply() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_migrate_status() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_backup() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format -o --out)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '-o'|'--out')
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_restore() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_ingest() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=(--column)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --input-format --source --reject-file --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--input-format')
        return
        ;;
    '--column')
        return
        ;;
    '--source')
        return
        ;;
    '--reject-file')
        __corerecon_add_completions -f
        return
        ;;
    '--as')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_alert() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|ack|assign|comment|close|reopen|explain|related|history|escalate|map|unmap|watch|purge)
        # Offer subcommand argument completions
        "_corerecon_alert_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show ack assign comment close reopen explain related history escalate map unmap watch purge' -- "${cur}"))
        ;;
    esac
}

_corerecon_alert_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--status --source)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --severity --since --until --received-since --assignee --search --technique --sla --limit --offset --cursor --sort --json)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--status')
        return
        ;;
    '--severity')
        return
        ;;
    '--source')
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    '--received-since')
        return
        ;;
    '--assignee')
        return
        ;;
    '--search')
        return
        ;;
    '--technique')
        return
        ;;
    '--sla')
        return
        ;;
    '--limit')
        return
        ;;
    '--offset')
        return
        ;;
    '--cursor')
        return
        ;;
    '--sort')
        return
        ;;
    '--json')
        return
        ;;
    esac
}

_corerecon_alert_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_alert_ack() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --where --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--where')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_alert_assign() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --where --as --to)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--where')
        return
        ;;
    '--as')
        return
        ;;
    '--to')
        return
        ;;
    esac
}

_corerecon_alert_comment() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --where --as -m --message)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--where')
        return
        ;;
    '--as')
        return
        ;;
    '-m'|'--message')
        return
        ;;
    esac
}

_corerecon_alert_close() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --where --as --reason -m --message)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--where')
        return
        ;;
    '--as')
        return
        ;;
    '--reason')
        return
        ;;
    '-m'|'--message')
        return
        ;;
    esac
}

_corerecon_alert_reopen() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --where --as -m --message)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--where')
        return
        ;;
    '--as')
        return
        ;;
    '-m'|'--message')
        return
        ;;
    esac
}

_corerecon_alert_explain() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_alert_related() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --limit)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_corerecon_alert_history() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_alert_escalate() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --where --as --to --title --severity)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--where')
        return
        ;;
    '--as')
        return
        ;;
    '--to')
        return
        ;;
    '--title')
        return
        ;;
    '--severity')
        return
        ;;
    esac
}

_corerecon_alert_map() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --tactic --as)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--tactic')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_alert_unmap() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_alert_watch() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--source)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --severity --assignee --since --count)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--severity')
        return
        ;;
    '--source')
        return
        ;;
    '--assignee')
        return
        ;;
    '--since')
        return
        ;;
    '--count')
        return
        ;;
    esac
}

_corerecon_alert_purge() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --older-than --status --as)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--older-than')
        return
        ;;
    '--status')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_incident() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|show|status|assign|update|close|reopen|map|observable|evidence|timeline|task|history|metrics|report|watch|purge)
        # Offer subcommand argument completions
        "_corerecon_incident_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list show status assign update close reopen map observable evidence timeline task history metrics report watch purge' -- "${cur}"))
        ;;
    esac
}

_corerecon_incident_create() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--from-alert)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --title --severity --type --description --assignee)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--title')
        return
        ;;
    '--severity')
        return
        ;;
    '--type')
        return
        ;;
    '--description')
        return
        ;;
    '--assignee')
        return
        ;;
    '--from-alert')
        return
        ;;
    esac
}

_corerecon_incident_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--status)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --severity --assignee --since --until --type --technique --search --limit --offset)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--status')
        return
        ;;
    '--severity')
        return
        ;;
    '--assignee')
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    '--type')
        return
        ;;
    '--technique')
        return
        ;;
    '--search')
        return
        ;;
    '--limit')
        return
        ;;
    '--offset')
        return
        ;;
    esac
}

_corerecon_incident_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_status() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as -m --message)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '-m'|'--message')
        return
        ;;
    esac
}

_corerecon_incident_assign() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --to)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--to')
        return
        ;;
    esac
}

_corerecon_incident_update() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --title --severity --type --description)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--title')
        return
        ;;
    '--severity')
        return
        ;;
    '--type')
        return
        ;;
    '--description')
        return
        ;;
    esac
}

_corerecon_incident_close() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --resolution --summary --lessons)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--resolution')
        return
        ;;
    '--summary')
        return
        ;;
    '--lessons')
        return
        ;;
    esac
}

_corerecon_incident_reopen() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as -m --message)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '-m'|'--message')
        return
        ;;
    esac
}

_corerecon_incident_map() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --tactic)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--tactic')
        return
        ;;
    esac
}

_corerecon_incident_observable() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_corerecon_incident_observable_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_corerecon_incident_observable_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --ioc --version -h --help)
    repeating_options=(--tag)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --type --tlp)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--type')
        return
        ;;
    '--tlp')
        return
        ;;
    '--tag')
        return
        ;;
    esac
}

_corerecon_incident_observable_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --ioc --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_observable_remove() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --type)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--type')
        return
        ;;
    esac
}

_corerecon_incident_evidence() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|verify|export|custody)
        # Offer subcommand argument completions
        "_corerecon_incident_evidence_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list verify export custody' -- "${cur}"))
        ;;
    esac
}

_corerecon_incident_evidence_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --description)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--description')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    2)
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_incident_evidence_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_evidence_verify() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_incident_evidence_export() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --out)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--out')
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_incident_evidence_custody() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_timeline() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|add)
        # Offer subcommand argument completions
        "_corerecon_incident_timeline_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show add' -- "${cur}"))
        ;;
    esac
}

_corerecon_incident_timeline_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_timeline_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --at --category -m --message)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--at')
        return
        ;;
    '--category')
        return
        ;;
    '-m'|'--message')
        return
        ;;
    esac
}

_corerecon_incident_task() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|start|done|cancel|reopen)
        # Offer subcommand argument completions
        "_corerecon_incident_task_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list start done cancel reopen' -- "${cur}"))
        ;;
    esac
}

_corerecon_incident_task_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --description --assignee)
    __corerecon_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--description')
        return
        ;;
    '--assignee')
        return
        ;;
    esac
}

_corerecon_incident_task_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_task_start() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_incident_task_done() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_incident_task_cancel() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_incident_task_reopen() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_incident_history() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_incident_metrics() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --since --until)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    esac
}

_corerecon_incident_report() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --out)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_corerecon_incident_watch() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--source)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --severity --assignee --since --count)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--severity')
        return
        ;;
    '--source')
        return
        ;;
    '--assignee')
        return
        ;;
    '--since')
        return
        ;;
    '--count')
        return
        ;;
    esac
}

_corerecon_incident_purge() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --older-than --as)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--older-than')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import|add|list|show|update|sight|revoke|delete|match|hunt|export|stats|expire|feed|warninglist)
        # Offer subcommand argument completions
        "_corerecon_ioc_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import add list show update sight revoke delete match hunt export stats expire feed warninglist' -- "${cur}"))
        ;;
    esac
}

_corerecon_ioc_import() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --force --version -h --help)
    repeating_options=(--tag --column)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --input-format --source --type --tlp --confidence --reject-file --taxii --collection --added-after --user --password-env --token-env --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--input-format')
        __corerecon_add_completions -W 'auto'$'\n''txt'$'\n''csv'$'\n''stix'$'\n''misp'
        return
        ;;
    '--source')
        return
        ;;
    '--type')
        __corerecon_add_completions -W 'ipv4'$'\n''ipv6'$'\n''cidr'$'\n''ip:port'$'\n''domain'$'\n''hostname'$'\n''url'$'\n''email'$'\n''md5'$'\n''sha1'$'\n''sha256'$'\n''sha512'$'\n''ssdeep'$'\n''ja3'$'\n''ja4'$'\n''filename'$'\n''registry'$'\n''user-agent'$'\n''asn'$'\n''stix-pattern'
        return
        ;;
    '--tlp')
        __corerecon_add_completions -W 'clear'$'\n''green'$'\n''amber'$'\n''amber+strict'$'\n''red'
        return
        ;;
    '--confidence')
        return
        ;;
    '--tag')
        return
        ;;
    '--column')
        return
        ;;
    '--reject-file')
        __corerecon_add_completions -f
        return
        ;;
    '--taxii')
        return
        ;;
    '--collection')
        return
        ;;
    '--added-after')
        return
        ;;
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--token-env')
        return
        ;;
    '--as')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_ioc_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--tag)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --type --tlp --confidence --expires --source --description --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--type')
        __corerecon_add_completions -W 'ipv4'$'\n''ipv6'$'\n''cidr'$'\n''ip:port'$'\n''domain'$'\n''hostname'$'\n''url'$'\n''email'$'\n''md5'$'\n''sha1'$'\n''sha256'$'\n''sha512'$'\n''ssdeep'$'\n''ja3'$'\n''ja4'$'\n''filename'$'\n''registry'$'\n''user-agent'$'\n''asn'$'\n''stix-pattern'
        return
        ;;
    '--tlp')
        __corerecon_add_completions -W 'clear'$'\n''green'$'\n''amber'$'\n''amber+strict'$'\n''red'
        return
        ;;
    '--confidence')
        return
        ;;
    '--tag')
        return
        ;;
    '--expires')
        return
        ;;
    '--source')
        return
        ;;
    '--description')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --expired --all --version -h --help)
    repeating_options=(--type)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --tag --source --tlp --min-score --since --search --limit)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--type')
        __corerecon_add_completions -W 'ipv4'$'\n''ipv6'$'\n''cidr'$'\n''ip:port'$'\n''domain'$'\n''hostname'$'\n''url'$'\n''email'$'\n''md5'$'\n''sha1'$'\n''sha256'$'\n''sha512'$'\n''ssdeep'$'\n''ja3'$'\n''ja4'$'\n''filename'$'\n''registry'$'\n''user-agent'$'\n''asn'$'\n''stix-pattern'
        return
        ;;
    '--tag')
        return
        ;;
    '--source')
        return
        ;;
    '--tlp')
        __corerecon_add_completions -W 'clear'$'\n''green'$'\n''amber'$'\n''amber+strict'$'\n''red'
        return
        ;;
    '--min-score')
        return
        ;;
    '--since')
        return
        ;;
    '--search')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_corerecon_ioc_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_ioc_update() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --no-expiry --unrevoke --version -h --help)
    repeating_options=(--tag --untag)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --tlp --confidence --description --expires --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--tlp')
        __corerecon_add_completions -W 'clear'$'\n''green'$'\n''amber'$'\n''amber+strict'$'\n''red'
        return
        ;;
    '--confidence')
        return
        ;;
    '--tag')
        return
        ;;
    '--untag')
        return
        ;;
    '--description')
        return
        ;;
    '--expires')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_sight() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --false-positive --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --source --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--source')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_revoke() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_delete() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_match() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet -o --only-matching -c --count --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_ioc_hunt() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --since --as)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--since')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_export() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--type)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --to --tag --min-score --tlp-max --action --sid-base --info)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--to')
        __corerecon_add_completions -W 'stix'$'\n''misp'$'\n''suricata'$'\n''csv'$'\n''txt'
        return
        ;;
    '--type')
        __corerecon_add_completions -W 'ipv4'$'\n''ipv6'$'\n''cidr'$'\n''ip:port'$'\n''domain'$'\n''hostname'$'\n''url'$'\n''email'$'\n''md5'$'\n''sha1'$'\n''sha256'$'\n''sha512'$'\n''ssdeep'$'\n''ja3'$'\n''ja4'$'\n''filename'$'\n''registry'$'\n''user-agent'$'\n''asn'$'\n''stix-pattern'
        return
        ;;
    '--tag')
        return
        ;;
    '--min-score')
        return
        ;;
    '--tlp-max')
        __corerecon_add_completions -W 'clear'$'\n''green'$'\n''amber'$'\n''amber+strict'$'\n''red'
        return
        ;;
    '--action')
        __corerecon_add_completions -W 'alert'$'\n''drop'
        return
        ;;
    '--sid-base')
        return
        ;;
    '--info')
        return
        ;;
    esac
}

_corerecon_ioc_stats() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_ioc_expire() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_ioc_feed() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove|pull)
        # Offer subcommand argument completions
        "_corerecon_ioc_feed_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove pull' -- "${cur}"))
        ;;
    esac
}

_corerecon_ioc_feed_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--tag)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --taxii --collection --misp --url --input-format --source --tlp --confidence --every --user --password-env --token-env --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--taxii')
        return
        ;;
    '--collection')
        return
        ;;
    '--misp')
        return
        ;;
    '--url')
        return
        ;;
    '--input-format')
        __corerecon_add_completions -W 'auto'$'\n''txt'$'\n''csv'$'\n''stix'$'\n''misp'
        return
        ;;
    '--source')
        return
        ;;
    '--tlp')
        __corerecon_add_completions -W 'clear'$'\n''green'$'\n''amber'$'\n''amber+strict'$'\n''red'
        return
        ;;
    '--confidence')
        return
        ;;
    '--tag')
        return
        ;;
    '--every')
        return
        ;;
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--token-env')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_feed_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_ioc_feed_remove() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_feed_pull() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --due --full --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_ioc_warninglist() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import|list|check)
        # Offer subcommand argument completions
        "_corerecon_ioc_warninglist_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import list check' -- "${cur}"))
        ;;
    esac
}

_corerecon_ioc_warninglist_import() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __corerecon_add_completions -f
        return
        ;;
    esac
}

_corerecon_ioc_warninglist_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_ioc_warninglist_check() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --type)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--type')
        __corerecon_add_completions -W 'ipv4'$'\n''ipv6'$'\n''cidr'$'\n''ip:port'$'\n''domain'$'\n''hostname'$'\n''url'$'\n''email'$'\n''md5'$'\n''sha1'$'\n''sha256'$'\n''sha512'$'\n''ssdeep'$'\n''ja3'$'\n''ja4'$'\n''filename'$'\n''registry'$'\n''user-agent'$'\n''asn'$'\n''stix-pattern'
        return
        ;;
    esac
}

_corerecon_mitre() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import|sync|tactics|techniques|show|coverage|layer)
        # Offer subcommand argument completions
        "_corerecon_mitre_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import sync tactics techniques show coverage layer' -- "${cur}"))
        ;;
    esac
}

_corerecon_mitre_import() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __corerecon_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    esac
}

_corerecon_mitre_sync() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --domain --url)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--domain')
        __corerecon_add_completions -W 'enterprise'$'\n''mobile'$'\n''ics'
        return
        ;;
    '--url')
        return
        ;;
    esac
}

_corerecon_mitre_tactics() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --domain)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--domain')
        __corerecon_add_completions -W 'enterprise'$'\n''mobile'$'\n''ics'
        return
        ;;
    esac
}

_corerecon_mitre_techniques() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --tactic --platform --search --domain)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--tactic')
        return
        ;;
    '--platform')
        return
        ;;
    '--search')
        return
        ;;
    '--domain')
        __corerecon_add_completions -W 'enterprise'$'\n''mobile'$'\n''ics'
        return
        ;;
    esac
}

_corerecon_mitre_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_mitre_coverage() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --from --since --domain)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--from')
        __corerecon_add_completions -W 'alerts'$'\n''incidents'
        return
        ;;
    '--since')
        return
        ;;
    '--domain')
        __corerecon_add_completions -W 'enterprise'$'\n''mobile'$'\n''ics'
        return
        ;;
    esac
}

_corerecon_mitre_layer() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    export|import)
        # Offer subcommand argument completions
        "_corerecon_mitre_layer_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'export import' -- "${cur}"))
        ;;
    esac
}

_corerecon_mitre_layer_export() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --from --since --domain --out -o --name)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--from')
        __corerecon_add_completions -W 'alerts'$'\n''incidents'
        return
        ;;
    '--since')
        return
        ;;
    '--domain')
        __corerecon_add_completions -W 'enterprise'$'\n''mobile'$'\n''ics'
        return
        ;;
    '--out'|'-o')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_corerecon_mitre_layer_import() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --from --since)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--from')
        __corerecon_add_completions -W 'alerts'$'\n''incidents'
        return
        ;;
    '--since')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __corerecon_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    esac
}

_corerecon_sla() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    status|sweep|report|pause|resume|policy)
        # Offer subcommand argument completions
        "_corerecon_sla_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'status sweep report pause resume policy' -- "${cur}"))
        ;;
    esac
}

_corerecon_sla_status() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --at-risk --breached --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --assignee --target --limit)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--assignee')
        return
        ;;
    '--target')
        __corerecon_add_completions -W 'alert'$'\n''incident'
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_corerecon_sla_sweep() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_sla_report() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --since --by)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--since')
        return
        ;;
    '--by')
        __corerecon_add_completions -W 'severity'$'\n''assignee'$'\n''source'$'\n''type'
        return
        ;;
    esac
}

_corerecon_sla_pause() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --reason --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--reason')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_sla_resume() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --reason --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--reason')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_sla_policy() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show)
        # Offer subcommand argument completions
        "_corerecon_sla_policy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show' -- "${cur}"))
        ;;
    esac
}

_corerecon_sla_policy_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_sla_policy_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_notify() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    channels|test|list|retry|flush)
        # Offer subcommand argument completions
        "_corerecon_notify_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'channels test list retry flush' -- "${cur}"))
        ;;
    esac
}

_corerecon_notify_channels() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_notify_test() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_notify_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --failed --pending --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --channel --limit)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--channel')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_corerecon_notify_retry() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_notify_flush() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_playbook() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    lint|test|list|show|enable|disable|run|runs|run-pending)
        # Offer subcommand argument completions
        "_corerecon_playbook_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'lint test list show enable disable run runs run-pending' -- "${cur}"))
        ;;
    esac
}

_corerecon_playbook_lint() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    esac
}

_corerecon_playbook_test() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=(--input)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --event --alert --incident --type)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--event')
        return
        ;;
    '--alert')
        return
        ;;
    '--incident')
        return
        ;;
    '--type')
        return
        ;;
    '--input')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    esac
}

_corerecon_playbook_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_playbook_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_playbook_enable() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_playbook_disable() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_playbook_run() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    start|show|cancel|retry)
        # Offer subcommand argument completions
        "_corerecon_playbook_run_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'start show cancel retry' -- "${cur}"))
        ;;
    esac
}

_corerecon_playbook_run_start() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --queue --version -h --help)
    repeating_options=(--input)
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as --alert --incident)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    '--alert')
        return
        ;;
    '--incident')
        return
        ;;
    '--input')
        return
        ;;
    esac
}

_corerecon_playbook_run_show() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_playbook_run_cancel() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_playbook_run_retry() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --queue --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_playbook_runs() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --playbook --status --alert --incident --limit)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--playbook')
        return
        ;;
    '--status')
        return
        ;;
    '--alert')
        return
        ;;
    '--incident')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_corerecon_playbook_run-pending() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --once --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --interval)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--interval')
        return
        ;;
    esac
}

_corerecon_serve() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --trust-proxy --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --host --port --tls-cert --tls-key --tls-client-ca --jwt-secret-file --body-limit --syslog)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--tls-cert')
        return
        ;;
    '--tls-key')
        return
        ;;
    '--tls-client-ca')
        return
        ;;
    '--jwt-secret-file')
        return
        ;;
    '--body-limit')
        return
        ;;
    '--syslog')
        return
        ;;
    esac
}

_corerecon_user() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|disable|enable|passwd)
        # Offer subcommand argument completions
        "_corerecon_user_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list disable enable passwd' -- "${cur}"))
        ;;
    esac
}

_corerecon_user_add() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --role --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--role')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_user_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_user_disable() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_user_enable() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_user_passwd() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_token() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|revoke)
        # Offer subcommand argument completions
        "_corerecon_token_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list revoke' -- "${cur}"))
        ;;
    esac
}

_corerecon_token_create() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --name --role --expires --as)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--name')
        return
        ;;
    '--role')
        return
        ;;
    '--expires')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_token_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_token_revoke() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --as)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_corerecon_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|verify)
        # Offer subcommand argument completions
        "_corerecon_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list verify' -- "${cur}"))
        ;;
    esac
}

_corerecon_audit_list() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --since --actor --action --target --limit)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--since')
        return
        ;;
    '--actor')
        return
        ;;
    '--action')
        return
        ;;
    '--target')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_corerecon_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_login() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format --user)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    '--user')
        return
        ;;
    esac
}

_corerecon_logout() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_context() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|use|list|remove)
        # Offer subcommand argument completions
        "_corerecon_context_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add use list remove' -- "${cur}"))
        ;;
    esac
}

_corerecon_context_add() {
    repeating_flags=()
    non_repeating_flags=(--use --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --ca-file --client-cert --client-key)
    __corerecon_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    esac
}

_corerecon_context_use() {
    repeating_flags=()
    non_repeating_flags=(--none --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 1
}

_corerecon_context_list() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_context_remove() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options 1
}

_corerecon_status() {
    repeating_flags=()
    non_repeating_flags=(--insecure --no-color -q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--database-url --server --ca-file --client-cert --client-key --config --log-level --format)
    __corerecon_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-cert')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--client-key')
        __corerecon_add_completions -o plusdirs -fX '!*.@(pem|key)'
        return
        ;;
    '--config')
        __corerecon_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-level')
        __corerecon_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--format')
        __corerecon_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''md'
        return
        ;;
    esac
}

_corerecon_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __corerecon_offer_flags_options -1
}

complete -o filenames -F _corerecon corerecon
