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
