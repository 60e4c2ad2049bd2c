package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// The crash test runs an outbox worker in a child process (this test binary
// again) and SIGKILLs it mid-delivery. The fake WeCom runs in the parent, so
// it keeps the record of what was delivered across the crash.
const (
	childDBEnv      = "FIREBOT_OUTBOX_CHILD"     // the child's store path
	childWeComEnv   = "FIREBOT_OUTBOX_CHILD_URL" // the fake WeCom's URL
	crashPool       = 8
	crashVisibility = 2 * time.Minute
	crashEntries    = 200
	crashKillAfter  = 60 // messages recorded at the fake
)

// TestCrashChild is the child process of TestSIGKILLMidDelivery: it delivers
// the outbox until it is killed. In a normal run it is skipped.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(childDBEnv)
	if path == "" {
		t.Skip("the child process of TestSIGKILLMidDelivery")
	}
	st, err := embedded.Open(path, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := outbox.New(outbox.Options{
		Store:      st,
		Client:     wecom.New(wecom.Options{BaseURL: os.Getenv(childWeComEnv)}),
		Real:       clock.Real{},
		Pool:       crashPool,
		Visibility: crashVisibility,
	})
	// The parent kills us long before this; the deadline only keeps an
	// orphan from running forever.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w.Run(ctx, time.Second)
}

func TestSIGKILLMidDelivery(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if os.Getenv(childDBEnv) != "" {
		t.Skip("in the child")
	}
	path := filepath.Join(t.TempDir(), "outbox.db")
	fake := fakewecom.New(fakewecom.Options{})
	t.Cleanup(fake.Close)
	fake.SetLatency(20 * time.Millisecond)

	chat := func(i int) string { return fmt.Sprintf("chat%03d", i) }
	st, err := embedded.Open(path, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx store.Tx) error {
		for i := range crashEntries {
			key := fmt.Sprintf("key%03d", i)
			fake.RegisterWebhookKey(key, chat(i))
			if err := store.LearnWebhookKey(tx, chat(i), key); err != nil {
				return err
			}
			if err := outbox.GroupText(tx, "crash:"+chat(i), "crash", chat(i), "今天下午三点消防演练，请准时参加。", nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// The child delivers; at crashKillAfter messages it is SIGKILLed.
	var out bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), childDBEnv+"="+path, childWeComEnv+"="+fake.URL())
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	waited := make(chan error, 1)
	go func() { _, err := fake.WaitFor(ctx, crashKillAfter); waited <- err }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("the child did not deliver %d messages: %v\n%s", crashKillAfter, err, out.Bytes())
		}
	case err := <-exited:
		exited <- err // for the cleanup
		t.Fatalf("the child exited before it was killed: %v\n%s", err, out.Bytes())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	exited <- err // for the cleanup
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child ended with %v, not by SIGKILL\n%s", err, out.Bytes())
	}

	// Restart on a clock past the visibility timeout, so the entries the
	// child had claimed are due again.
	real := clock.NewFake(clock.Real{}.Now().Add(crashVisibility + time.Minute))
	st2, err := embedded.Open(path, embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	inFlight := map[string]bool{} // chats of entries claimed and not acknowledged
	acked := map[string]bool{}    // chats of entries acknowledged as sent
	err = st2.View(context.Background(), func(tx store.Tx) error {
		claimed, err := store.OutboxInFlight(tx)
		if err != nil {
			return err
		}
		for _, e := range claimed {
			inFlight[e.Target] = true
		}
		for i := range crashEntries {
			e, err := store.OutboxByKey(tx, "crash:"+chat(i))
			if err != nil {
				return err
			}
			switch e.Status {
			case store.OutboxSent:
				acked[e.Target] = true
			case store.OutboxFailed:
				return fmt.Errorf("%s failed before the kill: %s", e.ID, e.LastError)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := len(inFlight)
	t.Logf("at the kill: %d acknowledged, %d in flight, %d recorded by the fake", len(acked), c, len(fake.Messages()))
	if c > crashPool {
		t.Fatalf("%d entries in flight, more than the pool (%d)", c, crashPool)
	}
	if len(acked) < crashKillAfter-crashPool {
		t.Fatalf("only %d acknowledged, but the fake recorded %d", len(acked), crashKillAfter)
	}

	restart := len(fake.Messages())
	w := outbox.New(outbox.Options{Store: st2, Client: wecom.New(wecom.Options{BaseURL: fake.URL(), Real: real}),
		Real: real, Pool: crashPool, Visibility: crashVisibility})
	if _, err := w.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}

	msgs := fake.Messages()
	received := map[string]int{}
	for i, m := range msgs {
		received[m.ChatID]++
		if i >= restart && acked[m.ChatID] {
			t.Errorf("%s was acknowledged before the kill and sent again", m.ChatID)
		}
	}
	dups := 0
	for i := range crashEntries {
		switch n := received[chat(i)]; {
		case n == 0:
			t.Errorf("%s never received its push", chat(i))
		case n > 1:
			dups += n - 1
			if !inFlight[chat(i)] {
				t.Errorf("%s received %d copies but was not in flight at the kill", chat(i), n)
			}
		}
	}
	t.Logf("duplicates: %d (in flight at the kill: %d)", dups, c)
	if dups > c {
		t.Errorf("%d duplicate deliveries, more than the %d entries in flight at the kill", dups, c)
	}
	err = st2.View(context.Background(), func(tx store.Tx) error {
		for i := range crashEntries {
			e, err := store.OutboxByKey(tx, "crash:"+chat(i))
			if err != nil {
				return err
			}
			if e.Status != store.OutboxSent {
				return fmt.Errorf("%s is %s after the restart", e.Target, e.Status)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
