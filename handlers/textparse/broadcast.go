package textparse

import (
	"slices"
	"strings"
	"unicode"
)

// The flag words a broadcast may carry before its content, for both the
// street's 广播 and the district's.
var (
	mentionAllWords = []string{"@所有人", "＠所有人", "@all", "@全体成员", "＠全体成员"}
	receiptWords    = []string{"回执", "需回执", "要回执", "需要回执"}
	reminderWords   = []string{"催", "提醒", "再催"}
)

// MentionsAll reports whether w asks a broadcast to @ everyone in each
// group (@所有人).
func MentionsAll(w string) bool { return slices.Contains(mentionAllWords, w) }

// AsksReceipt reports whether w asks the units to acknowledge a broadcast
// (回执).
func AsksReceipt(w string) bool { return slices.Contains(receiptWords, w) }

// AsksReminder reports whether w, after 回执 and a broadcast's id, asks to
// remind the groups that have not acknowledged it (回执 GB-0001 催).
func AsksReminder(w string) bool { return slices.Contains(reminderWords, w) }

// CutWord splits off the first word of an office command's arguments, at
// any space: an ASCII one or the full-width one (　) a Chinese input method
// types.
func CutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}
