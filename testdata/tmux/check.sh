#!/usr/bin/env bash
# A person at a terminal, played by tmux: xvirsh started from bash in a
# 120x40 tmux window, keys sent as a keyboard sends them, the screen read
# back after each step. Checks issue 12's points (Tab, paste, keys, file
# completion through a directory with a blank, Ctrl-Z) and that the
# terminal is as before when xvirsh has gone.
#
# usage: testdata/tmux/check.sh [XVIRSH]   (default: builds one)
# Exit status 0 when every step showed what it should.
set -euo pipefail
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 2; }

work=$(mktemp -d)
sock="xvirsh-check-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

bin=${1:-}
if [ -z "$bin" ]; then
  bin=$work/xvirsh
  (cd "$(dirname "$0")/../.." && go build -o "$bin" .)
fi
mkdir -p "$work/host dir" "$work/.home"
cp /dev/null "$work/host dir/guest.xml"

t() { tmux -L "$sock" "$@"; }
screen() { t capture-pane -p -t check; }
# wait_for TEXT: poll the screen for TEXT (a fixed string), up to 15 s.
wait_for() {
  for _ in $(seq 150); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: '$1' never appeared on the screen:"; screen; exit 1
}
# last_line TEXT: the line being edited (the last one that is not empty).
last_line() {
  for _ in $(seq 150); do
    if [ "$(screen | grep -v '^$' | tail -n 1 | sed 's/ *$//')" = "$1" ]; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the line is not '$1':"; screen; exit 1
}

t new-session -d -s check -x 120 -y 40 -c "$work" \
  "env -i PATH=$PATH HOME=$work/.home TERM=screen PS1='$ ' bash --norc --noprofile"
wait_for '$'
t send-keys -t check "stty -g > before; '$bin'" Enter
wait_for 'Connected to test:///default (the demo host; -c xen:/// for the local xend)'
last_line 'xvirsh #'

echo "1. Tab: common prefix, list on the second Tab, a blank after one match"
t send-keys -t check 'domi' Tab
last_line 'xvirsh # domi'
t send-keys -t check Tab
wait_for 'domid    dominfo'
t send-keys -t check 'nfo wi' Tab
last_line 'xvirsh # dominfo winxp'
t send-keys -t check Enter
wait_for 'Name:           winxp'

echo "2. bracketed paste: two lines stay in the line until Enter"
printf 'domstate winxp\ndomstate Domain-0\n' > "$work/paste"
t load-buffer -b p "$work/paste"
t paste-buffer -p -b p -t check
last_line 'xvirsh # domstate winxp; domstate Domain-0'
t send-keys -t check Enter
wait_for 'running'

echo "3. Emacs keys: Alt-b, Ctrl-Right, Alt-Backspace, Ctrl-R; no raw ESC"
t send-keys -t check 'echo alpha beta' M-b 'X'
last_line 'xvirsh # echo alpha Xbeta'
t send-keys -t check C-a C-Right M-d C-e C-y
last_line 'xvirsh # echo Xbeta alpha'
t send-keys -t check M-BSpace 'gamma' Escape F5 Enter
wait_for 'Xbeta gamma'
t send-keys -t check C-r 'Domain-0'
last_line "(reverse-i-search)\`Domain-0': domstate winxp; domstate Domain-0"
t send-keys -t check C-g C-u

echo "4. file completion through a directory whose name has a blank"
t send-keys -t check 'define ho' Tab
last_line "xvirsh # define 'host dir/"
t send-keys -t check Tab
last_line "xvirsh # define 'host dir/guest.xml'"
t send-keys -t check Enter
wait_for 'error: Failed to define domain from host dir/guest.xml'

echo "5. Ctrl-Z suspends with the terminal restored; fg comes back"
t send-keys -t check 'echo sus'
last_line 'xvirsh # echo sus'
t send-keys -t check C-z
wait_for 'Stopped'
t send-keys -t check 'stty -g > stopped; cmp before stopped && echo STOPPED-RESTORED' Enter
wait_for 'STOPPED-RESTORED'
t send-keys -t check 'fg' Enter
last_line 'xvirsh # echo sus'
t send-keys -t check 'pended' Enter
wait_for 'suspended'

t send-keys -t check 'quit' Enter
last_line '$'
t send-keys -t check 'stty -g > after; cmp before after && echo EXIT-RESTORED' Enter
wait_for 'EXIT-RESTORED'
if grep -q $'\x1b' "$work/.home/.cache/xvirsh/history" 2>/dev/null; then
  echo "FAIL: raw ESC in the history file"; exit 1
fi
echo "tmux check: all steps showed what they should"
