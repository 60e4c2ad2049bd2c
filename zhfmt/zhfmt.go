package zhfmt

import (
	"strconv"
	"strings"
	"time"

	"firebot/campaign"
)

// DayLayout is how activity days are stored (ledger.Confirmation.Date).
const DayLayout = "2006-01-02"

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// Weekday renders t's weekday as 周五.
func Weekday(t time.Time) string { return weekdays[t.Weekday()] }

// Date renders t's day as 11月3日.
func Date(t time.Time) string {
	return strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// DateWeekday renders t's day as 11月3日（周五）.
func DateWeekday(t time.Time) string { return Date(t) + "（" + Weekday(t) + "）" }

// Day renders d as 11月3日（周五）, with the year (2024年11月3日（周五）)
// when it is not the year of now.
func Day(d, now time.Time) string {
	s := DateWeekday(d)
	if d.Year() != now.Year() {
		s = strconv.Itoa(d.Year()) + "年" + s
	}
	return s
}

// Clock renders t's time of day as 09:05.
func Clock(t time.Time) string { return t.Format("15:04") }

// Moment renders t as 11月3日 09:05.
func Moment(t time.Time) string { return Date(t) + " " + Clock(t) }

// MomentWeekday renders t as 11月3日（周五）09:05.
func MomentWeekday(t time.Time) string { return DateWeekday(t) + Clock(t) }

// Deadline renders a deadline as 10月27日 17:00, or 10月28日 when it is
// given as a bare date.
func Deadline(t time.Time, dateOnly bool) string {
	if dateOnly {
		return Date(t)
	}
	return Moment(t)
}

// DeadlineWeekday renders a deadline as 10月27日（周五）17:00, or
// 12月1日（周五） when it is given as a bare date.
func DeadlineWeekday(t time.Time, dateOnly bool) string {
	if dateOnly {
		return DateWeekday(t)
	}
	return MomentWeekday(t)
}

// ParseDay reads a stored day (2006-01-02) in loc.
func ParseDay(s string, loc *time.Location) (time.Time, bool) {
	d, err := time.ParseInLocation(DayLayout, s, loc)
	return d, err == nil
}

// StoredDate renders a stored day as 11月3日, or s as written when it is
// not one.
func StoredDate(s string) string {
	d, ok := ParseDay(s, time.UTC)
	if !ok {
		return s
	}
	return Date(d)
}

// StoredDay renders a stored day as Day does, or s as written when it is
// not one.
func StoredDay(s string, now time.Time) string {
	d, ok := ParseDay(s, now.Location())
	if !ok {
		return s
	}
	return Day(d, now)
}

// Countdown renders the time left from now until t: 还剩2天3小时, 还剩2天,
// 还剩3小时5分钟, 还剩45分钟 (at least 1), or 已截止 once t has passed.
func Countdown(now, t time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "已截止"
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	switch {
	case days > 0 && hours > 0:
		return "还剩" + strconv.Itoa(days) + "天" + strconv.Itoa(hours) + "小时"
	case days > 0:
		return "还剩" + strconv.Itoa(days) + "天"
	case hours > 0:
		return "还剩" + strconv.Itoa(hours) + "小时" + strconv.Itoa(mins) + "分钟"
	default:
		return "还剩" + strconv.Itoa(max(mins, 1)) + "分钟"
	}
}

// Ratio renders a count out of a total as 3/5.
func Ratio(n, total int) string { return strconv.Itoa(n) + "/" + strconv.Itoa(total) }

// List joins names with 、.
func List(names []string) string { return strings.Join(names, "、") }

// UnitNames joins the units' names with 、.
func UnitNames(us []campaign.Unit) string {
	names := make([]string, len(us))
	for i, u := range us {
		names[i] = u.Name
	}
	return List(names)
}
