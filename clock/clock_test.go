package clock

import (
	"testing"
	"time"
)

func TestScaledRunsFast(t *testing.T) {
	real := NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	start := time.Date(2023, 10, 25, 9, 0, 0, 0, time.UTC)
	s := NewScaled(real, start, 60)
	if got := s.Now(); !got.Equal(start) {
		t.Fatalf("start: got %v want %v", got, start)
	}
	real.Advance(time.Minute)
	if got, want := s.Now(), start.Add(time.Hour); !got.Equal(want) {
		t.Fatalf("after 1 real minute at 60x: got %v want %v", got, want)
	}
	jump := time.Date(2023, 11, 9, 8, 0, 0, 0, time.UTC)
	s.Set(jump)
	real.Advance(time.Second)
	if got, want := s.Now(), jump.Add(time.Minute); !got.Equal(want) {
		t.Fatalf("after jump: got %v want %v", got, want)
	}
}

func TestFake(t *testing.T) {
	t0 := time.Date(2023, 10, 26, 8, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	if got := f.Advance(2 * time.Hour); !got.Equal(t0.Add(2 * time.Hour)) {
		t.Fatalf("advance: %v", got)
	}
	f.Set(t0)
	if !f.Now().Equal(t0) {
		t.Fatalf("set: %v", f.Now())
	}
}

func TestOrReal(t *testing.T) {
	fake := NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if got := OrReal(fake); got != Clock(fake) {
		t.Errorf("OrReal(fake) = %v, want the fake itself", got)
	}
	if _, ok := OrReal(nil).(Real); !ok {
		t.Errorf("OrReal(nil) = %T, want Real", OrReal(nil))
	}
}
