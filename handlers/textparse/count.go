package textparse

import (
	"strings"
	"time"
)

// countHelp is the hint every count error ends with.
const countHelp = "请输入一个正整数，例如 80 或 八十。"

// maxCount bounds counts; anything larger is a typo, not a head count.
const maxCount = 100_000_000

// countPrefixes may precede a count and are ignored (共80人, 约80人).
var countPrefixes = []string{"一共", "总共", "合计", "总计", "共计", "共", "约", "大约", "大概", "计"}

// countUnits may follow a count and are ignored (80人, 3场).
var countUnits = []string{
	"人次", "个人", "人", "名", "位", "个", "次", "场", "户", "家", "所", "份",
	"张", "条", "处", "块", "幅", "栋", "台", "套", "支", "队", "期", "项", "篇",
}

// defaultCountUnits are the unit words ExtractCount looks for when given none:
// the ways to count people.
var defaultCountUnits = []string{"人次", "个人", "人", "名", "位"}

// ParseCount reads a positive whole number: 80, 80人, 80 人, ８０, 1,200,
// 八十, 八十人, 一百零五, 两百, 一千二 (1200), 3万, 共80人. Zero, negative
// numbers, decimals, ranges and words are rejected with an *InputError
// wrapping ErrInvalidCount.
func ParseCount(s string) (int, error) {
	rs := trimRunes(fold(s), isSpace)
	if len(rs) == 0 {
		return 0, inputErr(ErrInvalidCount, countHelp)
	}
	if rs[0] == '-' || rs[0] == '−' || rs[0] == '负' {
		return 0, inputErr(ErrInvalidCount, "不能是负数。"+countHelp)
	}
	rs = trimRunes(rs, isSpaceOrPunct)
	if len(rs) > 0 && rs[0] == '+' {
		rs = rs[1:]
	}
	if n := matchWordAt(rs, 0, countPrefixes); n > 0 {
		rs = trimRunes(rs[n:], isSpaceOrPunct)
	}
	unit := 0
	for _, u := range countUnits {
		if n := len([]rune(u)); n > unit && hasSuffixRunes(rs, u) {
			unit = n
		}
	}
	rs = trimRunes(rs[:len(rs)-unit], isSpace)
	if len(rs) == 0 {
		return 0, inputErr(ErrInvalidCount, countHelp)
	}
	v, ok := parseNumber(rs)
	switch {
	case !ok && looksDecimal(rs):
		return 0, inputErr(ErrInvalidCount, "只能是整数，不能有小数。"+countHelp)
	case !ok:
		return 0, inputErr(ErrInvalidCount, "看不懂这个数字。"+countHelp)
	case v == 0:
		return 0, inputErr(ErrInvalidCount, "不能是 0。"+countHelp)
	case v > maxCount:
		return 0, inputErr(ErrInvalidCount, "这个数字太大了。"+countHelp)
	}
	return v, nil
}

// parseNumber parses ASCII digits (optionally grouped by commas: 1,200) or
// a Chinese numeral.
func parseNumber(rs []rune) (int, bool) {
	if v, ok := parseGroupedDigits(rs); ok {
		return v, true
	}
	return parseCNInt(rs)
}

// parseGroupedDigits parses 80, 1200 or 1,200 (groups of three after the
// first comma).
func parseGroupedDigits(rs []rune) (int, bool) {
	if len(rs) == 0 || !isASCIIDigit(rs[0]) {
		return 0, false
	}
	v, group, grouped := 0, 0, false
	for i, r := range rs {
		switch {
		case isASCIIDigit(r):
			v = v*10 + int(r-'0')
			group++
			if v > maxNumber {
				return 0, false
			}
		case r == ',' || r == '，':
			if grouped && group != 3 || !grouped && group > 3 || i == len(rs)-1 {
				return 0, false
			}
			grouped, group = true, 0
		default:
			return 0, false
		}
	}
	if grouped && group != 3 {
		return 0, false
	}
	return v, true
}

func looksDecimal(rs []rune) bool {
	for i := 1; i+1 < len(rs); i++ {
		if (rs[i] == '.' || rs[i] == '点') && (isASCIIDigit(rs[i-1]) || isCNNumeral(rs[i-1])) &&
			(isASCIIDigit(rs[i+1]) || isCNNumeral(rs[i+1])) {
			return true
		}
	}
	return false
}

// countLabels end a label that a count may follow: 参加人数80, 共80, 人数：80.
var countLabels = []string{"人数", "数量", "总数", "数", "一共", "总共", "合计", "总计", "共计", "共", "约", "大约"}

// ExtractCount finds a positive count inside free text, such as
// "今天上午组织了疏散演练，80人参加", "参加人数80" or "共八十人". unitWords are
// the units to look for after the number (人, 名…); with none, the ways to
// count people (人, 名, 位, 人次) are used.
//
// A number followed by a unit wins; then a number after a label such as
// 人数, 共 or 合计; then the text's only plain number. Numbers inside dates,
// clock times, phone numbers and ordinals (第3) are never counts.
func ExtractCount(s string, unitWords ...string) (int, bool) {
	rs := fold(s)
	units := foldWords(unitWords)
	if len(units) == 0 {
		units = defaultCountUnits
	}
	covered := dateSpans(rs)
	var labelled, plain []int
	c := counts{rs: rs, covered: covered}
	for {
		start, end, v, ok := c.next()
		if !ok {
			break
		}
		if v == 0 {
			continue
		}
		// A unit right after the number, maybe after 余/多/来: 80人, 80余人.
		k := end
		for k < len(rs) && isSpace(rs[k]) {
			k++
		}
		if k < len(rs) && (rs[k] == '余' || rs[k] == '多' || rs[k] == '来') {
			k++
		}
		if matchWordAt(rs, k, units) > 0 {
			return v, true
		}
		if hasCountLabelBefore(rs, start) {
			labelled = append(labelled, v)
			continue
		}
		if isPlainCount(rs, start, end) {
			plain = append(plain, v)
		}
	}
	if len(labelled) > 0 {
		return labelled[0], true
	}
	if len(plain) == 1 {
		return plain[0], true
	}
	return 0, false
}

// counts reads, in order, the numbers of rs that may be counts: not
// inside a covered span (a date or a time), not an ordinal (第3), from 0
// to maxCount. A reader may move i forward past what it has read.
type counts struct {
	rs      []rune
	covered []bool
	i       int // where the next number is looked for
}

// next reads the next number, rs[start:end], worth v.
func (c *counts) next() (start, end, v int, ok bool) {
	for c.i < len(c.rs) {
		start, end, v, ok := numberToken(c.rs, c.i)
		if !ok {
			c.i++
			continue
		}
		c.i = end
		if c.covered[start] || start > 0 && c.rs[start-1] == '第' || v < 0 || v > maxCount {
			continue
		}
		return start, end, v, true
	}
	return 0, 0, 0, false
}

// numberToken reads the number starting at rs[i], if any.
func numberToken(rs []rune, i int) (start, end, v int, ok bool) {
	j := i
	switch {
	case isASCIIDigit(rs[i]):
		if i > 0 && (isASCIIDigit(rs[i-1]) || isASCIILetter(rs[i-1])) {
			return 0, 0, 0, false
		}
		for j < len(rs) && (isASCIIDigit(rs[j]) || rs[j] == ',' && j+1 < len(rs) && isASCIIDigit(rs[j+1])) {
			j++
		}
		// 3万 is a number too.
		if j < len(rs) && isCNNumeral(rs[j]) {
			if _, big := cnBigUnit(rs[j]); big {
				j++
			}
		}
	case isCNNumeral(rs[i]):
		for j < len(rs) && isCNNumeral(rs[j]) {
			j++
		}
	default:
		return 0, 0, 0, false
	}
	v, ok = parseNumber(rs[i:j])
	if !ok && isASCIIDigit(rs[i]) {
		// 1,2 or an over-long run: not a count, but consume it.
		return i, j, 0, true
	}
	return i, j, v, ok
}

func hasCountLabelBefore(rs []rune, start int) bool {
	k := start
	for k > 0 && (isSpace(rs[k-1]) || rs[k-1] == ':' || rs[k-1] == '为' || rs[k-1] == '是' || rs[k-1] == '有' || rs[k-1] == '达') {
		k--
	}
	for _, l := range countLabels {
		if hasSuffixRunes(rs[:k], l) {
			return true
		}
	}
	return false
}

// isPlainCount reports a number standing on its own: ASCII digits (not a
// phone number, clock time or decimal) or a Chinese numeral of two or more
// characters, followed by nothing but space, punctuation or the end.
func isPlainCount(rs []rune, start, end int) bool {
	if isASCIIDigit(rs[start]) {
		if end-start >= 7 {
			return false
		}
	} else if end-start < 2 {
		return false // 一 in 一起, 统一
	}
	if start > 0 && (rs[start-1] == '.' || rs[start-1] == ':' || rs[start-1] == '-' || rs[start-1] == '/') {
		return false
	}
	if end < len(rs) && (rs[end] == '.' || rs[end] == ':' || rs[end] == '-' || rs[end] == '/' || rs[end] == '%') &&
		end+1 < len(rs) && !isSpace(rs[end+1]) {
		return false
	}
	return end == len(rs) || isSpaceOrPunct(rs[end])
}

// dateSpans marks every rune that belongs to a date expression, so that the
// 11 and 3 of 11月3日 are never taken for counts. Only the shape matters
// here, so any reference day will do.
func dateSpans(rs []rune) []bool {
	covered, _, _ := scanDates(rs, referenceDay)
	return covered
}

// scanDates is dateSpans read against today, also returning the first
// existing date (as ExtractDate would find it), in one pass.
func scanDates(rs []rune, ref time.Time) (covered []bool, first time.Time, found bool) {
	covered = make([]bool, len(rs)+1)
	for i := 0; i < len(rs); {
		if !mayStartDate(rs[i]) || i > 0 && !dateMayStartAfter(rs[i-1], rs[i]) {
			i++
			continue
		}
		m, ok := matchDateAt(rs, i, ref, true)
		if !ok {
			if n := clockTimeLen(rs, i); n > 0 && (i == 0 || !isASCIIDigit(rs[i-1])) {
				for k := i; k < i+n; k++ {
					covered[k] = true
				}
				i += n
				continue
			}
			i++
			continue
		}
		if !found && m.err == nil {
			first, found = m.date, true
		}
		for k := i; k < m.end; k++ {
			covered[k] = true
		}
		i = m.end
	}
	return covered, first, found
}

// mayStartDate reports a rune a date or clock time can start with (a
// digit, a numeral, 今, 昨, 上周…): a cheap filter before matching.
func mayStartDate(r rune) bool {
	return isASCIIDigit(r) || isCNNumeral(r) || isCNDateNumeral(r) || strings.ContainsRune("今昨前大明后上下本这周星礼", r)
}
