package campaign

import (
	"errors"
	"fmt"
	"time"
)

// ErrBadTime is returned by ParseTime for text it cannot read.
var ErrBadTime = errors.New("campaign: bad time")

// Edge says which end of the day a bare date stands for.
type Edge int

const (
	// StartOfDay: a bare date means 00:00:00 (period starts, events).
	StartOfDay Edge = iota
	// EndOfDay: a bare date means 23:59:59 (deadlines, period ends).
	EndOfDay
)

// The accepted layouts besides RFC 3339.
const (
	layoutMinute = "2006-01-02 15:04"
	layoutSecond = "2006-01-02 15:04:05"
	layoutDate   = "2006-01-02"
)

// ParseTime reads a configured time in loc: RFC 3339 (converted to loc),
// "2006-01-02 15:04", "2006-01-02 15:04:05", or a bare date "2006-01-02",
// which stands for the start or the end of that day according to edge.
// dateOnly reports a bare date.
func ParseTime(s string, loc *time.Location, edge Edge) (t time.Time, dateOnly bool, err error) {
	if loc == nil {
		loc = time.UTC
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), false, nil
	}
	for _, layout := range []string{layoutMinute, layoutSecond} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, false, nil
		}
	}
	if t, err := time.ParseInLocation(layoutDate, s, loc); err == nil {
		if edge == EndOfDay {
			t = EndOfDayOf(t)
		}
		return t, true, nil
	}
	return time.Time{}, false, fmt.Errorf("%w: %q", ErrBadTime, s)
}

// EndOfDayOf returns 23:59:59 of t's day in t's location.
func EndOfDayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, t.Location())
}
