package textparse

import (
	"strings"
	"unicode"
)

// foldRune maps full-width ASCII forms (Ａ, ８, ／, ：…) and the ideographic
// space to their ASCII counterparts. It is one rune to one rune, so indexes
// into a folded slice are indexes into the original.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// fold returns s as runes with full-width forms folded and letters lowered.
func fold(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = unicode.ToLower(foldRune(r))
	}
	return rs
}

// isSpace reports whitespace, including the ideographic space and the
// invisible zero-width characters that chat clients sometimes insert.
func isSpace(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return unicode.IsSpace(r)
}

// isPunct reports punctuation, both ASCII and CJK (，。！？、「」【】…), and a
// few symbols people use as punctuation (~ ～ · |).
func isPunct(r rune) bool {
	if unicode.IsPunct(r) {
		return true
	}
	switch r {
	case '~', '～', '|', '^', '`', '<', '>', '=', '＜', '＞', '·', '•', '→', '…':
		return true
	}
	return false
}

func isSpaceOrPunct(r rune) bool { return isSpace(r) || isPunct(r) }

// trimRunes trims runes matching drop from both ends.
func trimRunes(rs []rune, drop func(rune) bool) []rune {
	start, end := 0, len(rs)
	for start < end && drop(rs[start]) {
		start++
	}
	for end > start && drop(rs[end-1]) {
		end--
	}
	return rs[start:end]
}

// hasPrefixAt reports whether word occurs in rs at index i.
func hasPrefixAt(rs []rune, i int, word string) bool {
	for _, w := range word {
		if i >= len(rs) || rs[i] != w {
			return false
		}
		i++
	}
	return true
}

// matchWordAt returns the rune length of the longest word in words that
// occurs in rs at index i, or 0.
func matchWordAt(rs []rune, i int, words []string) int {
	best := 0
	for _, w := range words {
		if n := len([]rune(w)); n > best && hasPrefixAt(rs, i, w) {
			best = n
		}
	}
	return best
}

// hasSuffixRunes reports whether rs ends with word.
func hasSuffixRunes(rs []rune, word string) bool {
	w := []rune(word)
	return len(w) <= len(rs) && hasPrefixAt(rs, len(rs)-len(w), word)
}

// foldWords folds each word like the input it is compared against.
func foldWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if f := strings.TrimSpace(string(fold(w))); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
