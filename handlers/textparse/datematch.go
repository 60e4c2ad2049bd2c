package textparse

import "time"

// relativeDays are words for a day relative to today.
var relativeDays = []struct {
	word string
	days int
}{
	{"今天", 0}, {"今日", 0}, {"今儿", 0},
	{"昨天", -1}, {"昨日", -1}, {"昨儿", -1},
	{"前天", -2}, {"前日", -2}, {"大前天", -3},
	{"今早", 0}, {"今晚", 0}, {"昨晚", -1},
	{"明天", 1}, {"明日", 1}, {"后天", 2},
}

// weekPrefixes introduce a weekday; weeks is the calendar-week offset, and
// mostRecent marks prefixes meaning "the latest such day not after today".
var weekPrefixes = []struct {
	word       string
	weeks      int
	mostRecent bool
}{
	{"上上周", -2, false}, {"上上星期", -2, false}, {"上上礼拜", -2, false},
	{"上周", -1, false}, {"上星期", -1, false}, {"上礼拜", -1, false},
	{"上个星期", -1, false}, {"上个礼拜", -1, false},
	{"下周", 1, false}, {"下星期", 1, false}, {"下礼拜", 1, false},
	{"下个星期", 1, false}, {"下个礼拜", 1, false},
	{"本周", 0, true}, {"这周", 0, true}, {"本星期", 0, true}, {"这星期", 0, true},
	{"这个星期", 0, true}, {"这礼拜", 0, true}, {"这个礼拜", 0, true}, {"本礼拜", 0, true},
	{"周", 0, true}, {"星期", 0, true}, {"礼拜", 0, true},
}

// monthPrefixes introduce a day of a named month: 上月3号, 本月3号.
var monthPrefixes = []struct {
	word   string
	months int
}{
	{"上月", -1}, {"上个月", -1}, {"本月", 0}, {"这个月", 0}, {"这月", 0},
}

// notDayAfterHao are words after N号 that make it a number, not a date
// (3号楼, 2号门, 1号线).
var notDayAfterHao = []string{
	"楼", "院", "门", "线", "馆", "厅", "房", "室", "口", "车", "位", "库", "台",
	"机", "床", "单元", "窗", "柜", "箱", "仓", "场", "桩", "栓", "泵",
}

// notDayAfterRi are words after N日 that make it a span of days (三日内).
var notDayAfterRi = []string{"内", "后", "前", "来", "起", "之", "以"}

// notDateAfterSep are units after "3.5" that make it a decimal, not a date.
var notDateAfterSep = []string{
	"小时", "个", "万", "千", "百", "亿", "元", "块", "公里", "千米", "米", "人", "分",
	"秒", "倍", "%", "岁", "斤", "吨", "平", "次", "天", "周", "年", "级", "寸",
	"g", "k", "m", "v", "x", "h",
}

// matchDateAt matches the longest date expression at rs[i:]. extract asks
// for the cautious reading used inside free text.
func matchDateAt(rs []rune, i int, today time.Time, extract bool) (dateMatch, bool) {
	var best dateMatch
	found := false
	try := func(m dateMatch, ok bool) {
		if ok && (!found || m.end > best.end) {
			best, found = m, true
		}
	}
	try(matchRelative(rs, i, today))
	try(matchWeekday(rs, i, today, extract))
	try(matchFullDate(rs, i, today))
	try(matchMonthDay(rs, i, today, extract))
	try(matchDayOnly(rs, i, today, extract))
	return best, found
}

func matchRelative(rs []rune, i int, today time.Time) (dateMatch, bool) {
	best, days := 0, 0
	for _, r := range relativeDays {
		if n := len([]rune(r.word)); n > best && hasPrefixAt(rs, i, r.word) {
			best, days = n, r.days
		}
	}
	if best == 0 {
		return dateMatch{}, false
	}
	return dateMatch{end: i + best, date: addDays(today, days)}, true
}

// weekdayAt reads a weekday name (一…六, 日, 天, 1…7) as 1 = Monday … 7 = Sunday.
func weekdayAt(rs []rune, i int) (int, bool) {
	if i >= len(rs) {
		return 0, false
	}
	switch r := rs[i]; r {
	case '日', '天', '七':
		return 7, true
	default:
		if r >= '1' && r <= '7' {
			if i+1 < len(rs) && isASCIIDigit(rs[i+1]) {
				return 0, false
			}
			return int(r - '0'), true
		}
		if d, ok := cnDigit(r); ok && d >= 1 && d <= 6 && r != '两' && r != '兩' {
			return d, true
		}
	}
	return 0, false
}

func matchWeekday(rs []rune, i int, today time.Time, extract bool) (dateMatch, bool) {
	best, weeks, mostRecent := 0, 0, false
	for _, p := range weekPrefixes {
		if n := len([]rune(p.word)); n > best && hasPrefixAt(rs, i, p.word) {
			best, weeks, mostRecent = n, p.weeks, p.mostRecent
		}
	}
	if best == 0 {
		return dateMatch{}, false
	}
	if extract && i > 0 && (rs[i-1] == '每' || rs[i-1] == '一' || rs[i-1] == '个') {
		return dateMatch{}, false // 每周三, 一周, 三个星期 are not dates
	}
	wd, ok := weekdayAt(rs, i+best)
	if !ok {
		return dateMatch{}, false
	}
	t := int(today.Weekday()+6)%7 + 1 // Monday = 1 … Sunday = 7
	var d time.Time
	if mostRecent {
		d = addDays(today, -((t - wd + 7) % 7))
	} else {
		d = addDays(today, -(t-1)+7*weeks+(wd-1))
	}
	return dateMatch{end: i + best + 1, date: d}, true
}

// numberAt reads a month, day or similar small number: ASCII digits (at most
// maxDigits of them) or a Chinese numeral such as 十一 or 二十五.
func numberAt(rs []rune, i int, maxDigits int) (v, end int, ok bool) {
	if i >= len(rs) {
		return 0, i, false
	}
	if isASCIIDigit(rs[i]) {
		j := i
		for j < len(rs) && isASCIIDigit(rs[j]) {
			v = v*10 + int(rs[j]-'0')
			j++
		}
		if j-i > maxDigits {
			return 0, i, false
		}
		return v, j, true
	}
	j := i
	for j < len(rs) && j-i < 4 && (isCNDateNumeral(rs[j])) {
		j++
	}
	if j == i {
		return 0, i, false
	}
	v, ok = parseCNInt(rs[i:j])
	return v, j, ok
}

func isCNDateNumeral(r rune) bool {
	if _, ok := cnDigit(r); ok {
		return r != '两' && r != '兩'
	}
	return r == '十' || r == '拾'
}

// yearAt reads a four-digit year, ASCII (2023) or digit by digit (二〇二三).
func yearAt(rs []rune, i int) (y, end int, ok bool) {
	if i+4 > len(rs) {
		return 0, i, false
	}
	if isASCIIDigit(rs[i]) {
		for j := i; j < i+4; j++ {
			if !isASCIIDigit(rs[j]) {
				return 0, i, false
			}
			y = y*10 + int(rs[j]-'0')
		}
		if i+4 < len(rs) && isASCIIDigit(rs[i+4]) {
			return 0, i, false
		}
		return y, i + 4, true
	}
	y, ok = parseCNDigitSeq(rs[i : i+4])
	return y, i + 4, ok
}

func matchFullDate(rs []rune, i int, today time.Time) (dateMatch, bool) {
	y, j, ok := yearAt(rs, i)
	if !ok || j >= len(rs) {
		return dateMatch{}, false
	}
	sep := rs[j]
	switch sep {
	case '年', '-', '/', '.':
	default:
		return dateMatch{}, false
	}
	m, k, ok := numberAt(rs, j+1, 2)
	if !ok || k >= len(rs) {
		return dateMatch{}, false
	}
	if sep == '年' {
		if rs[k] != '月' {
			return dateMatch{}, false
		}
	} else if rs[k] != sep || !isASCIIDigit(rs[j+1]) {
		return dateMatch{}, false
	}
	d, end, ok := numberAt(rs, k+1, 2)
	if !ok {
		return dateMatch{}, false
	}
	if end < len(rs) && (rs[end] == '日' || rs[end] == '号') {
		end++
	} else if sep != '年' && end < len(rs) && (rs[end] == sep || isASCIIDigit(rs[end])) {
		return dateMatch{}, false
	}
	date, err := validDate(y, m, d, true, today)
	return dateMatch{end: end, date: date, err: err}, true
}

func matchMonthDay(rs []rune, i int, today time.Time, extract bool) (dateMatch, bool) {
	m, j, ok := numberAt(rs, i, 2)
	if !ok || j >= len(rs) {
		return dateMatch{}, false
	}
	switch sep := rs[j]; sep {
	case '月':
		d, end, ok := numberAt(rs, j+1, 2)
		if !ok {
			return dateMatch{}, false
		}
		if end < len(rs) && (rs[end] == '日' || rs[end] == '号') {
			end++
		} else if extract || end < len(rs) && isASCIIDigit(rs[end]) {
			return dateMatch{}, false // "11月3" inside free text is too loose
		}
		date, err := resolveMonthDay(m, d, today)
		return dateMatch{end: end, date: date, err: err}, true
	case '.', '-', '/':
		if !isASCIIDigit(rs[i]) || j+1 >= len(rs) || !isASCIIDigit(rs[j+1]) {
			return dateMatch{}, false
		}
		d, end, ok := numberAt(rs, j+1, 2)
		if !ok {
			return dateMatch{}, false
		}
		if end < len(rs) && (rs[end] == '日' || rs[end] == '号') {
			end++
		} else if end < len(rs) && (isASCIIDigit(rs[end]) || rs[end] == '.' || rs[end] == '-' || rs[end] == '/' || rs[end] == ':') {
			return dateMatch{}, false // 1.2.3, 11-3-5, 10/3:30
		} else if extract && matchWordAt(rs, end, notDateAfterSep) > 0 {
			return dateMatch{}, false // 3.5小时
		}
		if extract && (m < 1 || m > 12 || d < 1 || d > 31) {
			return dateMatch{}, false
		}
		date, err := resolveMonthDay(m, d, today)
		return dateMatch{end: end, date: date, err: err}, true
	}
	return dateMatch{}, false
}

func matchDayOnly(rs []rune, i int, today time.Time, extract bool) (dateMatch, bool) {
	months, fallBack, start := 0, true, i
	for _, p := range monthPrefixes {
		if n := len([]rune(p.word)); i+n > start && hasPrefixAt(rs, i, p.word) {
			start, months, fallBack = i+n, p.months, false
		}
	}
	d, j, ok := numberAt(rs, start, 2)
	if !ok || j >= len(rs) || (rs[j] != '日' && rs[j] != '号') {
		return dateMatch{}, false
	}
	if extract {
		if i > 0 && (rs[i-1] == '第' || rs[i-1] == '每') {
			return dateMatch{}, false
		}
		if rs[j] == '号' && matchWordAt(rs, j+1, notDayAfterHao) > 0 ||
			rs[j] == '日' && matchWordAt(rs, j+1, notDayAfterRi) > 0 ||
			d < 1 || d > 31 {
			return dateMatch{}, false
		}
	}
	date, err := resolveDayOnly(d, months, fallBack, today)
	return dateMatch{end: j + 1, date: date, err: err}, true
}

// timeOfDayWords may follow a date and are ignored.
var timeOfDayWords = []string{
	"上午", "下午", "晚上", "早上", "早晨", "中午", "傍晚", "凌晨", "夜里", "夜间",
	"晚间", "白天", "午后", "清晨", "晚", "早", "am", "pm",
}

// ignorableDateSuffix reports whether what follows a date in ParseDate's
// input is only time of day, a clock time, a weekday note or punctuation.
func ignorableDateSuffix(rs []rune) bool {
	i := 0
	for i < len(rs) {
		switch {
		case isSpaceOrPunct(rs[i]) || rs[i] == '的':
			i++
		case matchWordAt(rs, i, timeOfDayWords) > 0:
			i += matchWordAt(rs, i, timeOfDayWords)
		case clockTimeLen(rs, i) > 0:
			i += clockTimeLen(rs, i)
		default:
			if m, ok := matchWeekday(rs, i, time.Time{}, false); ok {
				i = m.end
				continue
			}
			return false
		}
	}
	return true
}

// clockTimeLen matches 9:30, 9点, 9点半, 9点30分, 九点, 15时 at rs[i:].
func clockTimeLen(rs []rune, i int) int {
	h, j, ok := numberAt(rs, i, 2)
	if !ok || h > 24 || j >= len(rs) {
		return 0
	}
	switch rs[j] {
	case ':':
		_, k, ok := numberAt(rs, j+1, 2)
		if !ok || k-(j+1) != 2 {
			return 0
		}
		return k - i
	case '点', '时':
		k := j + 1
		if k < len(rs) && rs[k] == '半' {
			return k + 1 - i
		}
		if _, e, ok := numberAt(rs, k, 2); ok {
			if e < len(rs) && rs[e] == '分' {
				e++
			}
			return e - i
		}
		return k - i
	}
	return 0
}
