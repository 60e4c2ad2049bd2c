package service

import (
	"context"
	"testing"
	"time"

	"firebot/bot"
	"firebot/config"
)

// TestOfficeWokenByOfficeMessages: with an hour between ticks, an office
// staff member's message still runs the office's work at once (a 导出 asked
// for in chat does not wait for the tick); others' messages do not, and
// kicks that arrive while it runs fold into one more run.
func TestOfficeWokenByOfficeMessages(t *testing.T) {
	cfg := &config.Config{}
	cfg.Access.OfficeUsers = []string{"office1"}
	s := &Service{Config: cfg, officeKick: make(chan struct{}, 1)}

	s.kickOffice(&bot.Message{SenderID: "grid7"})
	if len(s.officeKick) != 0 {
		t.Fatal("a unit member's message woke the office's work")
	}
	s.kickOffice(&bot.Message{SenderID: "office1"})
	s.kickOffice(&bot.Message{SenderID: "office1"}) // folds into the first
	if len(s.officeKick) != 1 {
		t.Fatalf("office messages left %d wake-ups, want 1", len(s.officeKick))
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		wake(ctx, time.Hour, s.officeKick, func() { runs <- struct{}{} })
	}()
	select {
	case <-runs:
	case <-time.After(10 * time.Second): // a failure guard, not a wait: the run is immediate
		t.Fatal("the office's work did not run on the kick")
	}
	s.kickOffice(&bot.Message{SenderID: "office1"})
	select {
	case <-runs:
	case <-time.After(10 * time.Second):
		t.Fatal("a second office message did not wake the office's work")
	}
	cancel()
	<-done
	if n := len(runs); n != 0 {
		t.Errorf("%d runs without a kick or a tick", n)
	}
}
