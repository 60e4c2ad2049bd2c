package textparse

import (
	"fmt"
	"time"
)

// dateHelp lists the accepted forms; every date error ends with it.
const dateHelp = "可以写：今天、昨天、上周五、11月3日、11.3 或 2023-11-03"

// ParseDate reads a date a user typed and returns midnight of that day in
// today's location. today is "now" on the campaign clock.
//
// Understood: 今天 今日 昨天 昨日 前天 大前天 (and 明天 后天); weekdays
// 上周五 上星期五 上礼拜五 (the previous Monday-start week), 本周三 这周三 周三
// 星期三 (the most recent such day not after today), 下周一; 11月3日 11月3号
// 十一月三日 11.3 11-3 11/3; 2023-11-03 2023/11/3 2023.11.3 2023年11月3日;
// 3号 3日 (this month, or the previous month when that day is still to come),
// 上月3号 本月3号. Full-width digits are fine, and so are trailing
// time-of-day words, clock times and a weekday note: 11月3日上午, 今天下午3点,
// 11月3日（周五）.
//
// A date without a year takes today's year unless that lands more than two
// months after today; then it is last year's. Future dates are returned
// without error: the dialog decides (see IsFuture). Errors are *InputError
// wrapping ErrInvalidDate, with a Chinese message listing the accepted forms.
func ParseDate(s string, today time.Time) (time.Time, error) {
	rs := trimRunes(fold(s), isSpaceOrPunct)
	if len(rs) == 0 {
		return time.Time{}, inputErr(ErrInvalidDate, "请输入日期。"+dateHelp)
	}
	m, ok := matchDateAt(rs, 0, today, false)
	if !ok || !ignorableDateSuffix(rs[m.end:]) {
		return time.Time{}, inputErr(ErrInvalidDate, "看不懂这个日期。"+dateHelp)
	}
	if m.err != nil {
		return time.Time{}, m.err
	}
	return m.date, nil
}

// ExtractDate finds the first date expression inside free text, such as
// "今天上午我们社区组织了疏散演练，80人参加", and returns it as ParseDate would.
// Expressions naming a day that does not exist (2月30日) are skipped.
// It is more cautious than ParseDate: 3号楼, 第3日, 3.5小时 and 1.2.3 are not
// dates.
func ExtractDate(s string, today time.Time) (time.Time, bool) {
	rs := fold(s)
	for i := 0; i < len(rs); i++ {
		if i > 0 && !dateMayStartAfter(rs[i-1], rs[i]) {
			continue
		}
		if m, ok := matchDateAt(rs, i, today, true); ok {
			if m.err == nil {
				return m.date, true
			}
			i = m.end - 1 // skip the whole impossible date
		}
	}
	return time.Time{}, false
}

// IsFuture reports whether d falls on a later calendar day than today, both
// read in today's location.
func IsFuture(d, today time.Time) bool {
	d = d.In(today.Location())
	dy, dm, dd := d.Date()
	ty, tm, td := today.Date()
	if dy != ty {
		return dy > ty
	}
	if dm != tm {
		return dm > tm
	}
	return dd > td
}

// midnight returns the start of y-m-d in today's location; time.Date
// normalises out-of-range days, which callers have already ruled out.
func midnight(y int, m time.Month, d int, today time.Time) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, today.Location())
}

// addDays moves by calendar days, keeping midnight across DST changes.
func addDays(today time.Time, n int) time.Time {
	y, m, d := today.Date()
	return midnight(y, m, d+n, today)
}

// dateMayStartAfter rejects starting a numeric date in the middle of a
// number (the "1.3" in "11.3" or "21.3").
func dateMayStartAfter(prev, cur rune) bool {
	if !isASCIIDigit(cur) {
		return !isCNNumeral(cur) || !isCNNumeral(prev)
	}
	return !isASCIIDigit(prev) && prev != '.' && prev != '-' && prev != '/' && !isASCIILetter(prev)
}

// dateMatch is a date expression found at some index: its end, and either
// the date or the error for a day that does not exist.
type dateMatch struct {
	end  int
	date time.Time
	err  error
}

// validDate returns the date, or an error naming the missing day.
func validDate(y int, m, d int, yearGiven bool, today time.Time) (time.Time, error) {
	if m < 1 || m > 12 {
		return time.Time{}, inputErr(ErrInvalidDate, fmt.Sprintf("没有%d月。%s", m, dateHelp))
	}
	t := midnight(y, time.Month(m), d, today)
	if d < 1 || t.Day() != d {
		switch {
		case m == 2 && d == 29:
			return time.Time{}, inputErr(ErrInvalidDate, fmt.Sprintf("%d年不是闰年，2月没有29日。%s", y, dateHelp))
		case yearGiven:
			return time.Time{}, inputErr(ErrInvalidDate, fmt.Sprintf("%d年%d月没有%d日。%s", y, m, d, dateHelp))
		default:
			return time.Time{}, inputErr(ErrInvalidDate, fmt.Sprintf("%d月没有%d日。%s", m, d, dateHelp))
		}
	}
	return t, nil
}

// resolveMonthDay picks the year for a month and day given without one:
// today's year, or the previous one when the date would be more than two
// months ahead.
func resolveMonthDay(m, d int, today time.Time) (time.Time, error) {
	y := today.Year()
	if m >= 1 && m <= 12 && d >= 1 && d <= 31 {
		ty, tm, td := today.Date()
		limit := midnight(ty, tm+2, td, today)
		if midnight(y, time.Month(m), d, today).After(limit) {
			y--
		}
	}
	return validDate(y, m, d, false, today)
}

// resolveDayOnly resolves 3号: this month, or the previous month when that
// day is still to come.
func resolveDayOnly(d int, monthOffset int, fallBack bool, today time.Time) (time.Time, error) {
	ty, tm, td := today.Date()
	first := midnight(ty, tm+time.Month(monthOffset), 1, today)
	if fallBack && d > td {
		first = midnight(ty, tm-1, 1, today)
	}
	if d > 31 {
		return time.Time{}, inputErr(ErrInvalidDate, fmt.Sprintf("没有%d日。%s", d, dateHelp))
	}
	return validDate(first.Year(), int(first.Month()), d, false, today)
}

// referenceDay is an arbitrary fixed day used where only the shape of a date
// expression matters.
var referenceDay = time.Date(2000, time.June, 15, 0, 0, 0, 0, time.UTC)
