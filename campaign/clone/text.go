package clone

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Texts are rewritten token by token: a run of digits that is one of the
// campaign's years, a date of those years, or the ordinal of the national
// fire day (全国消防日, first held in 1992). Anything that looks like a year
// or an ordinal but is not one of those is left alone and noted.
var (
	number      = regexp.MustCompile(`[0-9]+(?:-[0-9]{1,2}-[0-9]{1,2})?`)
	fireDayNext = "个全国消防日"
	hanOrdinal  = regexp.MustCompile(`第[一二三四五六七八九十百零〇两]+(个|届|次)`)
	weekday     = regexp.MustCompile(`(星期|礼拜|周)[一二三四五六日天]`)
)

// firstFireDay is the year of the first national fire day (第1个全国消防日).
const firstFireDay = 1992

// rewriteText moves the years, dates and fire-day ordinals of a text.
func (c *cloner) rewriteText(s string) string {
	return c.scanText(s, nil)
}

// textNotes lists what a reader should check in a text after the rewrite.
func (c *cloner) textNotes(s string) []string {
	var notes []string
	c.scanText(s, &notes)
	if m := hanOrdinal.FindString(s); m != "" {
		notes = append(notes, "序数“"+m+"”未改动，请确认")
	}
	if m := weekday.FindString(s); m != "" {
		notes = append(notes, "提到“"+m+"”，换年后星期几会变，请确认")
	}
	if strings.Contains(s, "2月29日") && !leap(c.to) {
		notes = append(notes, fmt.Sprintf("提到 2月29日，%d 年没有这一天，请确认", c.to))
	}
	return notes
}

// scanText rewrites s; with notes non-nil it also collects notes.
func (c *cloner) scanText(s string, notes *[]string) string {
	var b strings.Builder
	last := 0
	for _, loc := range number.FindAllStringIndex(s, -1) {
		tok := s[loc[0]:loc[1]]
		b.WriteString(s[last:loc[0]])
		last = loc[1]
		b.WriteString(c.token(tok, s[:loc[0]], s[loc[1]:], notes))
	}
	b.WriteString(s[last:])
	return b.String()
}

// token rewrites one number or date of a text given what stands before
// and after it.
func (c *cloner) token(tok, before, after string, notes *[]string) string {
	add := func(format string, a ...any) {
		if notes != nil {
			*notes = append(*notes, fmt.Sprintf(format, a...))
		}
	}
	digits, rest, isDate := strings.Cut(tok, "-")
	n, err := strconv.Atoi(digits)
	if err != nil {
		return tok // too long to be anything we move
	}
	switch {
	case isDate && len(digits) == 4 && c.years[n]:
		m, d, _ := strings.Cut(rest, "-")
		ny, _, note := c.move(n, pad2(m), pad2(d))
		if note != "" {
			add("%s", note)
			d = "28"
		}
		return strconv.Itoa(ny) + "-" + m + "-" + d
	case isDate:
		if len(digits) == 4 && n >= 1900 && n <= 2100 {
			add("提到 %s，不是活动的年份，未改动，请确认", tok)
		}
		return tok
	case strings.HasSuffix(before, "第") && strings.HasPrefix(after, fireDayNext):
		nn := n + c.delta
		if want := c.to - firstFireDay + 1; nn != want {
			add("第%d个全国消防日改为第%d个；按 %d 年首个全国消防日推算应为第%d个，请确认", n, nn, firstFireDay, want)
		}
		if nn < 1 {
			return tok
		}
		return strconv.Itoa(nn)
	case strings.HasSuffix(before, "第") && (strings.HasPrefix(after, "个") || strings.HasPrefix(after, "届") || strings.HasPrefix(after, "次")):
		r := []rune(after)[0]
		add("序数“第%d%c”未改动，请确认", n, r)
		return tok
	case len(digits) == 4 && c.years[n]:
		return strconv.Itoa(n + c.delta)
	case len(digits) == 4 && n >= 1900 && n <= 2100:
		add("提到 %d，不是活动的年份，未改动，请确认", n)
		return tok
	}
	return tok
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// yearIn returns the first of years standing alone in s (not part of a
// longer number), or 0.
func yearIn(s string, years map[int]bool) int {
	for _, tok := range number.FindAllString(s, -1) {
		digits, _, _ := strings.Cut(tok, "-")
		if n, err := strconv.Atoi(digits); err == nil && len(digits) == 4 && years[n] {
			return n
		}
	}
	return 0
}
