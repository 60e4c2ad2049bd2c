package textparse

import "slices"

// The flag words a broadcast may carry before its content, for both the
// street's 广播 and the district's.
var (
	mentionAllWords = []string{"@所有人", "＠所有人", "@all", "@全体成员", "＠全体成员"}
	receiptWords    = []string{"回执", "需回执", "要回执", "需要回执"}
)

// MentionsAll reports whether w asks a broadcast to @ everyone in each
// group (@所有人).
func MentionsAll(w string) bool { return slices.Contains(mentionAllWords, w) }

// AsksReceipt reports whether w asks the units to acknowledge a broadcast
// (回执).
func AsksReceipt(w string) bool { return slices.Contains(receiptWords, w) }
