package wecom

import (
	"strings"
	"unicode/utf8"
)

// Content limits in bytes of UTF-8 (WeCom counts bytes, not characters).
const (
	MaxWebhookTextBytes     = 2048
	MaxWebhookMarkdownBytes = 4096
	MaxAppTextBytes         = 2048
	MaxAppMarkdownBytes     = 2048
	MaxAIBotMarkdownBytes   = 20480
)

// SplitText cuts s into parts of at most maxBytes bytes each, in order, so
// that joining the parts gives s back. Cuts fall on UTF-8 character
// boundaries, never inside a character; a cut after a line break is
// preferred when one lies in the second half of the part, then a cut after
// sentence punctuation (。！？；), a comma, a space. It returns nil for "" and []string{s} when s fits or maxBytes <= 0.
// When maxBytes is smaller than one character, that character is still
// emitted whole (the only case in which a part exceeds maxBytes).
func SplitText(s string, maxBytes int) []string {
	if s == "" {
		return nil
	}
	if maxBytes <= 0 || len(s) <= maxBytes {
		return []string{s}
	}
	var parts []string
	for len(s) > maxBytes {
		cut := cutPoint(s, maxBytes)
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		parts = append(parts, s)
	}
	return parts
}

// cutPoint returns where to end the next part of s (len(s) > max).
func cutPoint(s string, max int) int {
	// The longest prefix of at most max bytes ending on a rune boundary.
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 {
		// max is smaller than the first character, or s is not UTF-8
		// (a run of continuation bytes): emit one character whole, or max
		// bytes of garbage.
		if _, size := utf8.DecodeRuneInString(s); size > 1 && utf8.ValidString(s[:size]) {
			return size
		}
		return max
	}
	window := s[:cut]
	if i := strings.LastIndexByte(window, '\n'); i >= cut/2 {
		return i + 1
	}
	// Then after the end of a sentence or clause, then after a space.
	for _, set := range []string{"。！？；!?;", "，、,", " \t"} {
		if i := strings.LastIndexAny(window, set); i >= cut/2 {
			_, size := utf8.DecodeRuneInString(window[i:])
			return i + size
		}
	}
	return cut
}
