// Package clock provides the two clocks firebot runs on.
//
// firebot never calls time.Now in its logic. Two clocks are injected instead:
//
//   - the campaign clock: deadlines, reminders, "today" in dialogs, countdowns,
//     dialog expiry and record timestamps. In production it is the real time;
//     in a rehearsal (serve -now T -speed N) it starts at T and runs N× fast;
//     tests and the simulator step a Fake.
//   - the real clock: callback timestamp freshness, dedupe TTLs, leases, rate
//     limits, access tokens and outbox retry timing. WeCom signs callbacks with
//     real time, and a fast rehearsal clock must never expire a dedupe key.
//
// Both are the same small interface, so a component states which one it needs
// by the name of its field (Campaign / Real), never by its type.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Func adapts a function to Clock.
type Func func() time.Time

// Now calls f.
func (f Func) Now() time.Time { return f() }

// Real is the system clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// OrReal returns c, or the system clock when c is nil: the default of an
// injected clock (in production both clocks tell the real time).
func OrReal(c Clock) Clock {
	if c == nil {
		return Real{}
	}
	return c
}

// Scaled is a rehearsal clock: it reads Start at the moment it was created and
// then advances Speed times faster than real time. It can also be jumped.
type Scaled struct {
	mu     sync.Mutex
	base   Clock     // the real clock it runs from
	origin time.Time // real time at which offset was set
	at     time.Time // campaign time at origin
	speed  float64
}

// NewScaled returns a clock that reads start now and runs speed× fast
// relative to base (normally Real{}). speed <= 0 means 1.
func NewScaled(base Clock, start time.Time, speed float64) *Scaled {
	if speed <= 0 {
		speed = 1
	}
	return &Scaled{base: base, origin: base.Now(), at: start, speed: speed}
}

// Now returns the simulated time.
func (s *Scaled) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Scaled) nowLocked() time.Time {
	elapsed := s.base.Now().Sub(s.origin)
	return s.at.Add(time.Duration(float64(elapsed) * s.speed))
}

// Set jumps the clock to t; it keeps running at its speed from there.
func (s *Scaled) Set(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.origin = s.base.Now()
	s.at = t
}

// Speed reports the speed factor.
func (s *Scaled) Speed() float64 { return s.speed }

// Fake is a clock that moves only when told to. Safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a Fake reading t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t (backwards too).
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	return f.t
}
