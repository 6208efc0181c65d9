// Package similarity reports how much of a learner's file is found in the
// reference it was meant to be written without: the kit ships its whole
// reference, so copying it is the first thing to look for.
//
// It fingerprints Go source by winnowing (Schleimer, Wilkerson and Aiken,
// "Winnowing: local algorithms for document fingerprinting", SIGMOD 2003),
// as MOSS does:
//
//  1. go/scanner splits the file into tokens; comments, white space, line
//     endings and semicolons are dropped, so layout carries no weight.
//  2. Every identifier becomes one symbol and every literal the symbol of
//     its kind, so renaming variables, types or functions and rewording
//     strings or constants hides nothing; := reads as =, x++ as x += 1 and
//     x-- as x -= 1. What every solution shares by design is dropped: the
//     package clause, the imports, and the headers of top-level functions
//     (receiver, name, parameters, results), which the shipped stub gives
//     word for word.
//  3. Each run of K consecutive symbols (a k-gram) is hashed.
//  4. In each window of W consecutive k-gram hashes the minimum is kept
//     (the rightmost, on a tie): those are the file's fingerprints.
//
// A learner file's percentage is the share of its fingerprints whose k-gram
// occurs anywhere in the reference package. Winnowing guarantees that a
// copied run of at least K+W-1 symbols contains a fingerprint, and a run
// shorter than K never matches (the noise threshold).
//
// The percentage is evidence for a person to weigh, never a verdict: the
// grader deducts nothing for it.
//
// The Go implementations of winnowing at hand fingerprint characters, not
// tokens (SCANOSS's wfp, made to find open-source code, hashes 30-byte
// grams of the alphanumeric text), so renaming would hide a copy from
// them; and sending submissions to the MOSS service is not an option for
// a grader that runs offline.
package similarity

import (
	"go/scanner"
	"go/token"
	"hash/fnv"
)

const (
	// K is the k-gram length, in normalized tokens: the noise threshold,
	// below which nothing counts as shared. With identifiers and literals
	// reduced to symbols, idioms of up to about a dozen tokens recur in any
	// Go code ("if ID != ID { return ID, ID }" is ten); fifteen is past one
	// such idiom, so independent code shares few k-grams, and short enough
	// that an edit every couple of lines leaves most k-grams of a copy
	// intact. Measured by the tests over every reference file: a copy with
	// identifiers renamed, x++ rewritten and comments and layout changed
	// shares 100 % with the reference; with neighbouring functions swapped
	// as well, 64 % or more; a TLB written for exercise 04 from the stub
	// alone, 9 %. K = 25 (W = 16) lowers the last to 6 % but the second to
	// 54 %.
	K = 15
	// W is the winnowing window, in k-grams. A copied run of K+W-1 = 24
	// tokens, about two lines of Go, always yields a shared fingerprint,
	// and a file keeps about 2/(W+1), one in five or six, of its k-grams as
	// fingerprints: a 100-line file has about a hundred, enough for a
	// stable percentage.
	W = 10
)

// File is one Go source file.
type File struct {
	Name string // as it should be reported, e.g. "exercises/04-tlb/tlb.go"
	Src  []byte
}

// Match says how much of one learner file is found in the reference.
type Match struct {
	File      string `json:"file"`      // the learner's file
	Reference string `json:"reference"` // the reference file holding most of its fingerprints; empty when none is found
	Percent   int    `json:"percent"`   // share of its fingerprints found anywhere in the reference, 0–100, rounded down
}

// Compare returns one Match per learner file, in order. A learner file too
// short to have a fingerprint (fewer than K tokens) matches 0 %. When
// several reference files hold equally many of a file's fingerprints, the
// smallest is named (the one the match makes up most of), then the first.
func Compare(learner, reference []File) []Match {
	index := map[uint64][]int{} // k-gram hash -> indices of the reference files holding it
	sizes := make([]int, len(reference))
	for i, f := range reference {
		hashes := kgrams(symbols(f.Src))
		sizes[i] = len(hashes)
		for _, h := range hashes {
			if held := index[h]; len(held) == 0 || held[len(held)-1] != i {
				index[h] = append(held, i)
			}
		}
	}
	out := make([]Match, 0, len(learner))
	for _, f := range learner {
		m := Match{File: f.Name}
		prints := winnow(kgrams(symbols(f.Src)))
		found := 0
		perFile := make([]int, len(reference))
		for _, h := range prints {
			held := index[h]
			if len(held) > 0 {
				found++
			}
			for _, i := range held {
				perFile[i]++
			}
		}
		if found > 0 {
			m.Percent = 100 * found / len(prints)
			best := 0
			for i, n := range perFile {
				if n > perFile[best] || n == perFile[best] && sizes[i] < sizes[best] {
					best = i
				}
			}
			m.Reference = reference[best].Name
		}
		out = append(out, m)
	}
	return out
}

// symbols tokenizes src and normalizes it (steps 1 and 2 of the package
// comment): a token's kind is its symbol, so every identifier is IDENT and
// every literal is INT, FLOAT, IMAG, CHAR or STRING; := is =, and x++ and
// x-- are x += 1 and x -= 1. Source that does not scan cleanly is
// tokenized as far as the scanner can go: a file need not compile to be
// compared.
func symbols(src []byte) []token.Token {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(src)), src, func(token.Position, string) {}, 0)
	var toks []token.Token
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			return given(toks)
		}
		switch tok {
		case token.SEMICOLON:
		case token.DEFINE:
			toks = append(toks, token.ASSIGN)
		case token.INC:
			toks = append(toks, token.ADD_ASSIGN, token.INT)
		case token.DEC:
			toks = append(toks, token.SUB_ASSIGN, token.INT)
		default:
			toks = append(toks, tok)
		}
	}
}

// given drops what every file written to the exercise's API shares: the
// package clause, the imports and the header of each top-level function
// (from func to the brace opening its body), which the shipped stub
// already holds word for word.
func given(toks []token.Token) []token.Token {
	out := toks[:0]
	depth := 0 // braces open at toks[i]
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		switch {
		case depth == 0 && tok == token.PACKAGE:
			i++ // the package name
			continue
		case depth == 0 && tok == token.IMPORT:
			i = skipImport(toks, i+1)
			continue
		case depth == 0 && tok == token.FUNC:
			i = skipHeader(toks, i+1)
			depth++ // the body's brace, or the end of the file
			continue
		case tok == token.LBRACE:
			depth++
		case tok == token.RBRACE:
			depth--
		}
		out = append(out, tok)
	}
	return out
}

// skipImport returns the index of the last token of the import declaration
// whose specs start at toks[i]: its path, or the parenthesis closing a
// group.
func skipImport(toks []token.Token, i int) int {
	if i < len(toks) && toks[i] == token.LPAREN {
		for i < len(toks) && toks[i] != token.RPAREN {
			i++
		}
		return i
	}
	for i < len(toks) && toks[i] != token.STRING {
		i++
	}
	return i
}

// skipHeader returns the index of the brace opening the body of the
// function whose header continues at toks[i] (receiver, name, type
// parameters, parameters, results): the first { outside parentheses and
// brackets that does not open a struct or interface type.
func skipHeader(toks []token.Token, i int) int {
	nest := 0
	for ; i < len(toks); i++ {
		switch toks[i] {
		case token.LPAREN, token.LBRACK:
			nest++
		case token.RPAREN, token.RBRACK:
			nest--
		case token.STRUCT, token.INTERFACE:
			i = skipBraces(toks, i+1)
		case token.LBRACE:
			if nest == 0 {
				return i
			}
		}
	}
	return i
}

// skipBraces returns the index of the brace closing the one at toks[i],
// or i-1 when toks[i] is not a brace.
func skipBraces(toks []token.Token, i int) int {
	if i >= len(toks) || toks[i] != token.LBRACE {
		return i - 1
	}
	open := 0
	for ; i < len(toks); i++ {
		switch toks[i] {
		case token.LBRACE:
			open++
		case token.RBRACE:
			open--
			if open == 0 {
				return i
			}
		}
	}
	return i
}

// kgrams hashes every run of K consecutive symbols, in order.
func kgrams(syms []token.Token) []uint64 {
	if len(syms) < K {
		return nil
	}
	out := make([]uint64, 0, len(syms)-K+1)
	h := fnv.New64a()
	buf := make([]byte, 0, 2*K)
	for i := 0; i+K <= len(syms); i++ {
		buf = buf[:0]
		for _, t := range syms[i : i+K] {
			buf = append(buf, byte(t), byte(t>>8))
		}
		h.Reset()
		h.Write(buf)
		out = append(out, h.Sum64())
	}
	return out
}

// winnow selects the fingerprints of a sequence of k-gram hashes: the
// minimum of each window of W, the rightmost on a tie, each position
// selected once. A sequence shorter than one window keeps its minimum.
func winnow(hashes []uint64) []uint64 {
	if len(hashes) == 0 {
		return nil
	}
	var out []uint64
	last := -1
	for start := 0; start == 0 || start+W <= len(hashes); start++ {
		end := min(start+W, len(hashes))
		pick := start
		for i := start; i < end; i++ {
			if hashes[i] <= hashes[pick] {
				pick = i
			}
		}
		if pick != last {
			out = append(out, hashes[pick])
			last = pick
		}
	}
	return out
}
