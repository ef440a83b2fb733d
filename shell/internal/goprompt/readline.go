package prompt

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the xvirsh fork's readline behaviour (see FORK.md): Tab
// completion, word keys, the kill buffer, bracketed paste and Ctrl-R.

// TabCompletion is what one Tab does: the Delete runes before the cursor
// are replaced by Insert; List, when not empty, is shown under the line.
type TabCompletion struct {
	Delete int
	Insert string
	List   []string
}

// TabCompleter decides what Tab does to the text before the cursor. again
// is true for the second Tab in a row, where readline lists the choices.
type TabCompleter func(d Document, again bool) TabCompletion

// OptionTabCompleter replaces the default Tab behaviour, which completes
// the word before the cursor (up to the completion word separator) from
// the Completer's suggestions.
func OptionTabCompleter(f TabCompleter) Option {
	return func(p *Prompt) error {
		p.tab = f
		return nil
	}
}

// OptionColor turns the prompt's colour on or off (off by default here).
func OptionColor(on bool) Option {
	return func(p *Prompt) error {
		p.renderer.color = on
		return nil
	}
}

// OptionBracketedPaste asks the terminal to mark pasted text while a line
// is edited (ESC[?2004h); a paste is then inserted into the line, never
// run, whatever newlines it holds.
func OptionBracketedPaste(on bool) Option {
	return func(p *Prompt) error {
		p.renderer.bracketedPaste = on
		return nil
	}
}

// OptionPasteFilter sets how pasted text becomes line text. The default
// turns line ends and tabs into blanks and drops other control characters.
func OptionPasteFilter(f func(string) string) Option {
	return func(p *Prompt) error {
		p.pasteFilter = f
		return nil
	}
}

// completeTab runs one Tab.
func (p *Prompt) completeTab(again bool) {
	d := *p.buf.Document()
	var c TabCompletion
	if p.tab != nil {
		c = p.tab(d, again)
	} else {
		c = p.defaultTab(d, again)
	}
	if c.Delete > 0 || c.Insert != "" {
		p.buf.DeleteBeforeCursor(c.Delete)
		p.buf.InsertText(c.Insert, false, true)
	}
	if len(c.List) > 0 {
		p.renderer.ShowList(c.List)
	}
}

// defaultTab is readline's completion over the Completer's suggestions:
// one match completes with a blank after it, several complete their
// longest common prefix, and a second Tab lists them.
func (p *Prompt) defaultTab(d Document, again bool) TabCompletion {
	word := d.GetWordBeforeCursorUntilSeparator(p.completion.wordSeparator)
	var texts []string
	for _, s := range p.completion.completer(d) {
		if strings.HasPrefix(s.Text, word) {
			texts = append(texts, s.Text)
		}
	}
	return Readline(word, texts, again)
}

// Readline is readline's answer to Tab for the word before the cursor and
// the candidates that may replace it.
func Readline(word string, candidates []string, again bool) TabCompletion {
	switch len(candidates) {
	case 0:
		return TabCompletion{}
	case 1:
		return TabCompletion{Delete: utf8.RuneCountInString(word), Insert: candidates[0] + " "}
	}
	lcp := LongestCommonPrefix(candidates)
	if len(lcp) > len(word) && strings.HasPrefix(lcp, word) {
		return TabCompletion{Delete: utf8.RuneCountInString(word), Insert: lcp}
	}
	if again {
		return TabCompletion{List: candidates}
	}
	return TabCompletion{}
}

// LongestCommonPrefix of ss, cut on a rune boundary.
func LongestCommonPrefix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	n := len(ss[0])
	for _, s := range ss[1:] {
		n = min(n, commonPrefix(ss[0][:n], s))
	}
	return ss[0][:n]
}

// printable drops control characters (a raw ESC above all) from typed
// text: an unknown key must never end up in the command line.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// editKey handles readline's editing keys that go-prompt lacks or that
// need the kill buffer. It reports whether b was one.
func (p *Prompt) editKey(key Key, b []byte) bool {
	buf := p.buf
	before := []rune(buf.Document().TextBeforeCursor())
	after := []rune(buf.Document().TextAfterCursor())
	switch {
	case key == ControlK:
		p.kill(buf.Delete(len(after)))
	case key == ControlU:
		p.kill(buf.DeleteBeforeCursor(len(before)))
	case key == ControlW: // unix-word-rubout: back to a blank
		n := len(before)
		for n > 0 && unicode.IsSpace(before[n-1]) {
			n--
		}
		for n > 0 && !unicode.IsSpace(before[n-1]) {
			n--
		}
		p.kill(buf.DeleteBeforeCursor(len(before) - n))
	case key == ControlY:
		buf.InsertText(p.killed, false, true)
	case key == ControlLeft || isAlt(b, 'b') || bytes.Equal(b, []byte("\x1b[1;3D")):
		buf.CursorLeft(len(before) - wordStart(before))
	case key == ControlRight || isAlt(b, 'f') || bytes.Equal(b, []byte("\x1b[1;3C")):
		buf.CursorRight(wordEnd(after))
	case isAlt(b, 'd'):
		p.kill(buf.Delete(wordEnd(after)))
	case isAlt(b, 0x7f) || isAlt(b, 0x08):
		p.kill(buf.DeleteBeforeCursor(len(before) - wordStart(before)))
	case key == Escape || (len(b) > 0 && b[0] == 0x1b && key == NotDefined):
		// Alt with any other key, an unknown function key: ignored.
	default:
		return false
	}
	return true
}

func isAlt(b []byte, c byte) bool { return len(b) == 2 && b[0] == 0x1b && b[1] == c }

// kill keeps cut text for Ctrl-Y.
func (p *Prompt) kill(s string) {
	if s != "" {
		p.killed = s
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// wordStart is where readline's backward-word lands in before: the start
// of the word the cursor is in or after.
func wordStart(before []rune) int {
	n := len(before)
	for n > 0 && !isWordRune(before[n-1]) {
		n--
	}
	for n > 0 && isWordRune(before[n-1]) {
		n--
	}
	return n
}

// wordEnd is how far readline's forward-word moves into after: to the end
// of the next word.
func wordEnd(after []rune) int {
	n := 0
	for n < len(after) && !isWordRune(after[n]) {
		n++
	}
	for n < len(after) && isWordRune(after[n]) {
		n++
	}
	return n
}

const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// readPaste collects a bracketed paste, which may come in many reads, and
// inserts it when it is complete. It reports whether b was part of one.
func (p *Prompt) readPaste(b []byte) bool {
	if p.paste == nil {
		if !bytes.HasPrefix(b, []byte(pasteStart)) {
			return false
		}
		p.paste = []byte{}
		b = b[len(pasteStart):]
	}
	p.paste = append(p.paste, b...)
	i := bytes.Index(p.paste, []byte(pasteEnd))
	if i < 0 {
		return true
	}
	text := string(p.paste[:i])
	p.paste = nil
	if p.pasteFilter != nil {
		text = p.pasteFilter(text)
	} else {
		text = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\t", " ").Replace(text)
	}
	p.buf.InsertText(printable(text), false, true)
	return true
}

// search is the state of a Ctrl-R reverse incremental history search.
type search struct {
	query  string
	at     int // index in the history of the line shown; len when none
	failed bool
	orig   string // the line before the search, for Ctrl-G
}

func (p *Prompt) startSearch() {
	p.search = &search{at: len(p.history.histories), orig: p.buf.Text()}
	p.showSearch()
}

// searchKey handles key while searching; it returns true when the key
// ended the search and must act on the line as usual.
func (p *Prompt) searchKey(key Key, b []byte) bool {
	s := p.search
	switch key {
	case ControlR:
		p.searchFrom(s.at - 1)
	case Backspace, ControlH:
		if s.query != "" {
			_, n := utf8.DecodeLastRuneInString(s.query)
			s.query = s.query[:len(s.query)-n]
			p.searchFrom(len(p.history.histories) - 1)
		}
	case ControlG:
		p.endSearch()
		p.buf = NewBuffer()
		p.buf.InsertText(s.orig, false, true)
	case Escape:
		p.endSearch()
	case NotDefined:
		text := printable(string(b))
		if text == "" || b[0] == 0x1b {
			p.endSearch()
			return !(len(b) > 0 && b[0] == 0x1b)
		}
		s.query += text
		p.searchFrom(min(s.at, len(p.history.histories)-1))
	default:
		p.endSearch()
		return true
	}
	if p.search != nil {
		p.showSearch()
	}
	return false
}

// searchFrom looks for the query in the history from index i back.
func (p *Prompt) searchFrom(i int) {
	s := p.search
	h := p.history.histories
	for ; i >= 0 && i < len(h); i-- {
		if j := strings.Index(h[i], s.query); j >= 0 {
			s.at, s.failed = i, false
			p.buf = NewBuffer()
			p.buf.InsertText(h[i], false, true)
			p.buf.CursorLeft(utf8.RuneCountInString(h[i][j:]))
			return
		}
	}
	s.failed = s.query != ""
}

func (p *Prompt) showSearch() {
	s := p.search
	label := "(reverse-i-search)`"
	if s.failed {
		label = "(failed reverse-i-search)`"
	}
	p.renderer.setOverride(label + s.query + "': ")
}

// endSearch leaves the line found in the buffer, with the usual prompt.
func (p *Prompt) endSearch() {
	p.search = nil
	p.renderer.clearOverride()
}
