package commands

import (
	"errors"
	"strings"
)

// lexed is a command string cut into commands and words. Completion reads
// the fields that describe how the text ends.
type lexed struct {
	cmds [][]string // empty commands are dropped
	// open: the text ends inside a word (no blank after it), so the last
	// word of the last command is the one under the cursor.
	open bool
	// sepEnd: the text ends on a command separator (or nothing), so a new
	// command starts at the cursor.
	sepEnd bool
	// wordStart is the byte offset where the open word begins, quotes
	// included (len of the text when no word is open).
	wordStart int
	quote     byte // unterminated quote at the end, 0 if none
	dangle    bool // a lone backslash at the end
	comment   bool // the text ends inside a # comment
}

// lex splits s the way virsh reads a command string: blanks separate
// words, `;` and newlines separate commands, '...' is literal, "..." allows
// backslash escapes, a backslash outside quotes escapes the next character,
// backslash-newline vanishes, and an unquoted word starting with # is a
// comment up to the end of the line.
func lex(s string) lexed {
	var (
		out     lexed
		start   int
		cur     []string
		word    strings.Builder
		inWord  bool
		quote   byte
		comment bool
	)
	endWord := func() {
		if inWord {
			cur = append(cur, word.String())
			word.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(cur) > 0 {
			out.cmds = append(out.cmds, cur)
		}
		cur = nil
	}
	out.sepEnd = true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !inWord && quote == 0 {
			start = i
		}
		if comment {
			if c == '\n' {
				comment = false
				endCmd()
				out.sepEnd = true
			}
			continue
		}
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				word.WriteByte(c)
			}
		case quote == '"':
			switch {
			case c == '"':
				quote = 0
			case c == '\\' && i+1 < len(s):
				i++
				if s[i] != '\n' {
					word.WriteByte(s[i])
				}
			case c == '\\':
				out.dangle = true
			default:
				word.WriteByte(c)
			}
		case c == '\\':
			if i+1 == len(s) {
				out.dangle = true
				inWord = true
				continue
			}
			i++
			if s[i] == '\n' {
				continue
			}
			word.WriteByte(s[i])
			inWord = true
		case c == ' ' || c == '\t' || c == '\r':
			endWord()
			out.sepEnd = false
			continue
		case c == ';' || c == '\n':
			endCmd()
			out.sepEnd = true
			continue
		case c == '#' && !inWord:
			comment = true
			continue
		case c == '\'' || c == '"':
			quote = c
			inWord = true
		default:
			word.WriteByte(c)
			inWord = true
		}
		out.sepEnd = false
	}
	out.open = inWord
	out.wordStart = len(s)
	if inWord {
		out.wordStart = start
	}
	out.quote = quote
	out.comment = comment
	endCmd()
	return out
}

// Tokenize splits a command string into commands and their words. An
// unterminated quote or a trailing lone backslash is an error, as in virsh.
func Tokenize(line string) ([][]string, error) {
	l := lex(line)
	switch {
	case l.quote != 0:
		return nil, errors.New("missing " + string(l.quote))
	case l.dangle:
		return nil, errors.New("dangling \\")
	}
	return l.cmds, nil
}
