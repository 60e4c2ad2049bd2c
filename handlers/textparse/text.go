package textparse

import (
	"fmt"
	"strings"
)

// CountChars counts characters the way the campaign's limits do (事迹材料
// ≤1000字): every Unicode code point except whitespace — spaces, tabs, line
// breaks, the full-width space U+3000 — and invisible zero-width characters.
// Punctuation, digits and letters count one each.
func CountChars(s string) int {
	n := 0
	for _, r := range s {
		if !isSpace(r) {
			n++
		}
	}
	return n
}

// Preview shortens s for a chat message: runs of whitespace become one space,
// and when s has more than n characters (as CountChars counts them) it is cut
// after the n-th and marked "…（共N字）". Text that fits is returned with
// only its whitespace tidied.
func Preview(s string, n int) string {
	n = max(n, 0)
	total := CountChars(s)
	var b strings.Builder
	counted, space := 0, false
	for _, r := range s {
		if isSpace(r) {
			space = true
			continue
		}
		if counted >= n {
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		counted++
	}
	if total <= n {
		return b.String()
	}
	return fmt.Sprintf("%s…（共%d字）", b.String(), total)
}
