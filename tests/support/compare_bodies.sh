#!/usr/bin/env bash
# Shows whether a change of src/ changed any request the bot sends to Discord.
#
#   tests/support/compare_bodies.sh dump DIR        run the bot's end-to-end tests, one at a
#                                                   time, dumping every REST request into DIR
#   tests/support/compare_bodies.sh diff DIR1 DIR2  compare two dumps; exit 1 if they differ
#
# Each test's requests are compared sorted: the bot answers concurrent interactions in
# whatever order they finish, so arrival order is not stable from run to run (the files keep
# it, for reading). See tests/support/fake_discord/dump.rs for the format and placeholders.
# One test's count depends on timing: discord_bot's invalid_file_keeps_the_old_answers asks
# every 250 ms until the reloaded FAQ answers, so a slow reload adds "does not cover" answers.
set -euo pipefail
cd "$(dirname "$0")/../.."

tests=(discord_bot discord_faults discord_insight secrets)

case "${1:-}" in
dump)
    dir=${2:?usage: $0 dump DIR}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    rm -f "$dir"/*.jsonl
    args=()
    for t in "${tests[@]}"; do args+=(--test "$t"); done
    FAKE_DISCORD_DUMP_DIR="$dir" cargo test "${args[@]}" -- --test-threads=1
    echo "$(ls "$dir" | wc -l) dumps in $dir"
    ;;
diff)
    a=${2:?usage: $0 diff DIR1 DIR2}
    b=${3:?usage: $0 diff DIR1 DIR2}
    status=0
    for name in $( (ls "$a"; ls "$b") | sort -u); do
        if ! diff -u --label "$a/$name" --label "$b/$name" \
            <(sort "$a/$name" 2>/dev/null) <(sort "$b/$name" 2>/dev/null); then
            status=1
        fi
    done
    if [ "$status" = 0 ]; then echo "same requests in $a and $b"; fi
    exit "$status"
    ;;
*)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
