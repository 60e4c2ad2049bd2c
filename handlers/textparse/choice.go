package textparse

import (
	"fmt"
	"slices"
	"strings"
)

// choicePrefixes and choiceSuffixes may wrap a choice number: 选1, 第一个, 2号.
var (
	choicePrefixes = []string{"我选", "选择", "选第", "选", "第"}
	choiceSuffixes = []string{"号", "个", "项", "条", "种", "类", "点"}
)

// ParseChoice reads which of options the user picked and returns its
// 0-based index. Accepted, in this order:
//
//   - the option's text exactly (ignoring surrounding spaces, punctuation,
//     width and letter case);
//   - its 1-based number: 1, 1号, 1., (1), 第一个, 选2, ①, ❷, 一;
//   - a prefix of exactly one option (高层 for 高层建筑消防安全专项整治);
//   - text that only one option contains, or that contains only one option
//     (不是 does not count as containing 是).
//
// Errors are *InputError wrapping ErrInvalidChoice and say what to reply.
func ParseChoice(s string, options []string) (int, error) {
	n := len(options)
	if n == 0 {
		return 0, inputErr(ErrInvalidChoice, "现在没有可以选择的选项。")
	}
	help := fmt.Sprintf("请回复序号（1–%d）或选项文字。", n)
	if n == 1 {
		help = "请回复 1 或选项文字。"
	}
	rs := trimRunes(fold(s), isSpaceOrPunct)
	if len(rs) == 0 {
		return 0, inputErr(ErrInvalidChoice, help)
	}
	in := string(rs)
	opts := make([]string, n)
	for i, o := range options {
		opts[i] = string(trimRunes(fold(o), isSpaceOrPunct))
	}
	if i := slices.Index(opts, in); i >= 0 {
		return i, nil
	}
	if v, ok := parseChoiceNumber(rs); ok {
		if v < 1 || v > n {
			return 0, inputErr(ErrInvalidChoice, fmt.Sprintf("没有第 %d 项。%s", v, help))
		}
		return v - 1, nil
	}
	stages := []func(o string) bool{
		func(o string) bool { return strings.HasPrefix(o, in) },
		func(o string) bool { return len(rs) >= 2 && strings.Contains(o, in) || containsUnnegated(in, o) },
	}
	for _, match := range stages {
		var hits []int
		for i, o := range opts {
			if o != "" && match(o) {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			continue
		case 1:
			return hits[0], nil
		default:
			return 0, inputErr(ErrInvalidChoice, fmt.Sprintf("有 %d 个选项都符合“%s”，请回复序号。", len(hits), strings.TrimSpace(s)))
		}
	}
	return 0, inputErr(ErrInvalidChoice, "没有这个选项。"+help)
}

// containsUnnegated reports whether option o occurs in the input and is not
// directly negated there (不是, 没有, 别…).
func containsUnnegated(in, o string) bool {
	for off := 0; ; {
		k := strings.Index(in[off:], o)
		if k < 0 {
			return false
		}
		k += off
		before := []rune(in[:k])
		if len(before) == 0 || !strings.ContainsRune("不没别非未无", before[len(before)-1]) {
			return true
		}
		off = k + len(o)
	}
}

// parseChoiceNumber reads 1, 1号, 第一个, 选2, ①, ❷, ⑵ as a number.
func parseChoiceNumber(rs []rune) (int, bool) {
	if n := matchWordAt(rs, 0, choicePrefixes); n > 0 {
		rs = trimRunes(rs[n:], isSpace)
	}
	for _, suf := range choiceSuffixes {
		if hasSuffixRunes(rs, suf) {
			rs = trimRunes(rs[:len(rs)-len([]rune(suf))], isSpace)
			break
		}
	}
	if len(rs) == 1 {
		switch r := rs[0]; {
		case r >= '①' && r <= '⑳':
			return int(r-'①') + 1, true
		case r >= '⑴' && r <= '⒇':
			return int(r-'⑴') + 1, true
		case r >= '❶' && r <= '❿':
			return int(r-'❶') + 1, true
		case r >= '➀' && r <= '➉':
			return int(r-'➀') + 1, true
		case r >= '➊' && r <= '➓':
			return int(r-'➊') + 1, true
		}
	}
	if len(rs) == 0 || len(rs) > 4 {
		return 0, false
	}
	if v, ok := parseGroupedDigits(rs); ok {
		return v, true
	}
	return parseCNInt(rs)
}

// Yes and no words for ParseYesNo, folded.
var (
	yesWords = []string{
		"是", "是的", "对", "对的", "好", "好的", "确认", "确定", "可以", "行", "嗯", "嗯嗯",
		"同意", "要", "需要", "没问题", "没错", "提交", "ok", "okay", "y", "yes", "👌", "👍",
	}
	noWords = []string{
		"否", "不", "不是", "不对", "不用", "不要", "不行", "不需要", "不同意", "不确认",
		"没有", "取消", "算了", "错", "错了", "暂不", "n", "no",
	}
	// yesNoParticles may follow a yes or no word: 好的吧, 不用了.
	yesNoParticles = "了的吧啊呀哦啦嘛呢哈"
)

// ParseYesNo reads a yes-or-no answer: 是, 好的, 确认, 可以, ok… for yes;
// 否, 不是, 不用, 取消, 算了, no… for no. A longer reply counts when it starts
// with such a word followed by punctuation or a particle ("好的，提交吧",
// "不用了"). Errors are *InputError wrapping ErrInvalidChoice.
func ParseYesNo(s string) (bool, error) {
	rs := trimRunes(fold(s), isSpaceOrPunct)
	if len(rs) == 0 {
		return false, inputErr(ErrInvalidChoice, "请回复“是”或“否”。")
	}
	yes := matchWordAt(rs, 0, yesWords)
	no := matchWordAt(rs, 0, noWords)
	n, answer := yes, true
	if no > yes {
		n, answer = no, false
	}
	if n > 0 && yesNoRestOK(rs[n:]) {
		return answer, nil
	}
	return false, inputErr(ErrInvalidChoice, "没看懂。请回复“是”或“否”。")
}

func yesNoRestOK(rest []rune) bool {
	for len(rest) > 0 && strings.ContainsRune(yesNoParticles, rest[0]) {
		rest = rest[1:]
	}
	return len(rest) == 0 || isSpaceOrPunct(rest[0])
}
