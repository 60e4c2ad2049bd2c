package service

import (
	"testing"
	"time"
)

// TestStreetPoll: a large district's outboxes together poll about 100
// times a second while idle; small districts keep the configured poll.
func TestStreetPoll(t *testing.T) {
	for _, c := range []struct {
		poll time.Duration
		n    int
		want time.Duration
	}{
		{0, 1, time.Second},
		{0, 100, time.Second},
		{0, 200, 2 * time.Second},
		{0, 1000, 10 * time.Second},
		{20 * time.Millisecond, 3, 20 * time.Millisecond},
		{20 * time.Millisecond, 1000, 10 * time.Second},
		{30 * time.Second, 1000, 30 * time.Second},
	} {
		if got := streetPoll(c.poll, c.n); got != c.want {
			t.Errorf("streetPoll(%v, %d) = %v, want %v", c.poll, c.n, got, c.want)
		}
	}
}

// TestOfficePoll: a large district's office work together ticks about 20
// times a second while idle; small districts keep the 5-second tick.
func TestOfficePoll(t *testing.T) {
	for _, c := range []struct {
		tick time.Duration
		n    int
		want time.Duration
	}{
		{0, 1, 5 * time.Second},
		{0, 100, 5 * time.Second},
		{0, 200, 10 * time.Second},
		{0, 1000, 50 * time.Second},
		{time.Second, 3, time.Second},
		{time.Minute, 1000, time.Minute},
	} {
		if got := officePoll(c.tick, c.n); got != c.want {
			t.Errorf("officePoll(%v, %d) = %v, want %v", c.tick, c.n, got, c.want)
		}
	}
}
