package shell

import (
	"context"
	"strings"
	"time"

	prompt "github.com/c-bata/go-prompt"
)

// completeTimeout bounds one completion: the prompt redraws after every key,
// and a slow xend must not freeze typing.
const completeTimeout = 2 * time.Second

// completer adapts the command table's completion to go-prompt. All the
// knowledge of what to offer (command names, unused options, domains by
// state, file paths) lives in commands; this only decides when to ask and
// keeps go-prompt safe.
type completer struct {
	ctx      context.Context
	complete func(ctx context.Context, textBeforeCursor string) []prompt.Suggest

	// go-prompt keeps the index of the highlighted suggestion across calls
	// and indexes the new list with it, so a list that shrinks while the
	// user cycles with Tab (a domain stopped meanwhile) makes it panic
	// (go-prompt #151). The answer for a given text is therefore kept until
	// the text changes or a command runs.
	lastText string
	last     []prompt.Suggest
}

// Suggest is the prompt.Completer.
func (c *completer) Suggest(d prompt.Document) []prompt.Suggest {
	return c.suggest(d.TextBeforeCursor(), d.LastKeyStroke() == prompt.Tab)
}

func (c *completer) suggest(text string, tab bool) []prompt.Suggest {
	if text == c.lastText && len(c.last) > 0 {
		return c.last
	}
	var s []prompt.Suggest
	// On an empty line the whole command list would pop up after every
	// command; offer it only when asked for with Tab.
	if strings.TrimSpace(text) != "" || tab {
		s = c.ask(text, lastWord(text))
	}
	c.lastText, c.last = text, s
	return s
}

// ask calls the table's completion, keeps the candidates that extend the
// word under the cursor (go-prompt replaces that word by the candidate) and
// drops repeats. A panic in a completer costs the suggestions, not the shell.
func (c *completer) ask(text, word string) (out []prompt.Suggest) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	ctx, cancel := context.WithTimeout(c.ctx, completeTimeout)
	defer cancel()
	seen := make(map[string]bool)
	for _, s := range c.complete(ctx, text) {
		if s.Text == "" || seen[s.Text] || !extends(s.Text, word) {
			continue
		}
		seen[s.Text] = true
		out = append(out, s)
	}
	return out
}

// extends reports whether candidate can replace word: it starts with it,
// quotes aside (a name with blanks comes back quoted, "'my vm'" for "my").
func extends(candidate, word string) bool {
	const quotes = `'"`
	return strings.HasPrefix(candidate, word) ||
		strings.HasPrefix(strings.TrimLeft(candidate, quotes), strings.TrimLeft(word, quotes))
}

// wordSeparators end the word go-prompt replaces by a chosen candidate:
// blanks, and the ';' between commands ("list;dom" completes "dom").
const wordSeparators = " ;"

// lastWord is the word go-prompt replaces by the chosen candidate.
func lastWord(text string) string {
	return text[strings.LastIndexAny(text, wordSeparators)+1:]
}

// forget drops the kept answer; a command may have changed what is there
// to offer (a domain started, a file written).
func (c *completer) forget() { c.lastText, c.last = "", nil }
