package handlers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"firebot/campaign"
)

func itoa(n int) string { return strconv.Itoa(n) }

// joinLines joins the non-empty parts with line breaks.
func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// dayLayout is how activity dates are stored (ledger.Confirmation.Date).
const dayLayout = "2006-01-02"

// formatDay renders a day as 11月3日（周五）, with the year when it is not
// the year of now.
func formatDay(d, now time.Time) string {
	s := fmt.Sprintf("%d月%d日（%s）", d.Month(), d.Day(), weekdays[d.Weekday()])
	if d.Year() != now.Year() {
		s = fmt.Sprintf("%d年", d.Year()) + s
	}
	return s
}

// formatStoredDay renders a stored 2006-01-02 date.
func formatStoredDay(v string, now time.Time) string {
	d, err := time.ParseInLocation(dayLayout, v, now.Location())
	if err != nil {
		return v
	}
	return formatDay(d, now)
}

// shortDay renders a stored date as 11月3日.
func shortDay(v string) string {
	d, err := time.Parse(dayLayout, v)
	if err != nil {
		return v
	}
	return fmt.Sprintf("%d月%d日", d.Month(), d.Day())
}

// formatTime renders a moment as 10月27日 17:00, or 10月28日 for a
// deadline given as a bare date.
func formatTime(t time.Time, dateOnly bool) string {
	if dateOnly {
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	}
	return fmt.Sprintf("%d月%d日 %02d:%02d", t.Month(), t.Day(), t.Hour(), t.Minute())
}

func formatDeadline(d campaign.Deadline) string { return formatTime(d.Time, d.DateOnly) }

// midnight returns the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// unitNames joins unit names with 、.
func unitNames(us []campaign.Unit) string {
	names := make([]string, 0, len(us))
	for _, u := range us {
		names = append(names, u.Name)
	}
	return strings.Join(names, "、")
}
