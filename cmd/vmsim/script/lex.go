package script

import (
	"fmt"
	"strconv"
	"strings"
)

// token is one word of a script line: a bare word, or a double-quoted string
// (Go escapes allowed) whose quotes are gone.
type token struct {
	text   string
	quoted bool
}

// String prints the token as it could be written back.
func (t token) String() string {
	if t.quoted {
		return strconv.Quote(t.text)
	}
	return t.text
}

// lex splits one line into tokens. Words are separated by spaces or tabs; a
// '#' outside a quoted string starts a comment that runs to the end of the
// line. An unterminated or malformed quoted string is an error.
func lex(line string) ([]token, error) {
	var toks []token
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			return toks, nil
		case c == '"':
			end := i + 1
			for end < len(line) && line[end] != '"' {
				if line[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(line) {
				return nil, fmt.Errorf("unterminated string %s", line[i:])
			}
			s, err := strconv.Unquote(line[i : end+1])
			if err != nil {
				return nil, fmt.Errorf("bad string %s: %v", line[i:end+1], err)
			}
			toks = append(toks, token{text: s, quoted: true})
			i = end + 1
		default:
			end := i
			for end < len(line) && !strings.ContainsRune(" \t\r#\"", rune(line[end])) {
				end++
			}
			toks = append(toks, token{text: line[i:end]})
			i = end
		}
	}
	return toks, nil
}
