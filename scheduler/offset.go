package scheduler

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// errOffset is returned by parseOffset; the caller turns it into a Problem.
var errOffset = errors.New("bad offset")

// offset is one parsed entry of a plan's offsets: either whole calendar days
// before the anchor's day at an optional clock time ("-1d@09:00", "0d@15:00",
// "-2d"), or a plain duration before the anchor ("-2h", "-90m").
type offset struct {
	days    int           // calendar days before the anchor's day (>= 0)
	clock   time.Duration // time of day since midnight, when hasTime
	hasTime bool
	dur     time.Duration // <= 0; used when isDur
	isDur   bool
}

// parseOffset reads "-Nd@HH:MM", "-Nd", "0d@HH:MM" or a non-positive Go
// duration ("-2h", "-1h30m", "0s").
func parseOffset(s string) (offset, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, 'd'); i > 0 {
		num, rest := s[:i], s[i+1:]
		num = strings.TrimPrefix(num, "-")
		if num == "" || (s[0] != '-' && num != "0") {
			return offset{}, errOffset // positive days: after the anchor
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n > 3660 || num[0] < '0' || num[0] > '9' {
			return offset{}, errOffset
		}
		o := offset{days: n}
		if rest == "" {
			return o, nil
		}
		hm, ok := strings.CutPrefix(rest, "@")
		if !ok {
			return offset{}, errOffset
		}
		c, err := parseClock(hm)
		if err != nil {
			return offset{}, errOffset
		}
		o.clock, o.hasTime = c, true
		return o, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d > 0 {
		return offset{}, errOffset
	}
	return offset{dur: d, isDur: true}, nil
}

// parseClock reads "HH:MM" (00:00-23:59) as a duration since midnight.
func parseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, errOffset
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, errOffset
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// apply returns the fire time of o before anchor, in anchor's location.
func (o offset) apply(anchor time.Time) time.Time {
	if o.isDur {
		return anchor.Add(o.dur)
	}
	if !o.hasTime {
		return anchor.AddDate(0, 0, -o.days)
	}
	y, m, d := anchor.Date()
	h := int(o.clock / time.Hour)
	mi := int(o.clock % time.Hour / time.Minute)
	return time.Date(y, m, d-o.days, h, mi, 0, 0, anchor.Location())
}
